using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Cipo.Embedded.Tests.Build;

// Hand-written IL reading (System.Reflection.Metadata has no call-graph API): the one question asked is which call sites
// reach TorchSharp's implicit number-to-Scalar conversion.

/// <summary>
/// Finds the call sites of an assembly that create a TorchSharp <c>Scalar</c> implicitly: a direct call of
/// <c>Scalar.op_Implicit</c>, or a call of a TorchSharp method (by exact signature) that converts a number to a Scalar
/// itself or through the TorchSharp methods it calls (for example <c>Tensor.add(Tensor)</c>, which passes <c>alpha = 1</c>).
/// Such a scalar is freed by its finalizer, which can run while libtorch still reads it.
/// </summary>
internal sealed class ImplicitScalarScanner
{
    private const string ScalarType = "TorchSharp.Scalar";
    private readonly HashSet<string> _creators;
    private readonly Dictionary<string, List<string>> _overridesByShape;
    private readonly HashSet<string> _virtual;

    public ImplicitScalarScanner(string torchSharpAssembly)
    {
        var calls = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        _creators = new HashSet<string>(StringComparer.Ordinal);
        _overridesByShape = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        _virtual = new HashSet<string>(StringComparer.Ordinal);
        foreach (MethodIl method in Methods(torchSharpAssembly))
        {
            calls[method.Key] = method.Calls;
            if (method.IsVirtual)
            {
                _virtual.Add(method.Key);
            }
            // Inside TorchSharp an explicit ToScalar() is as bad: TorchSharp does not dispose the scalars it makes.
            if (method.Calls.Any(c => IsImplicitConversion(c) || IsToScalar(c)) && !method.Key.StartsWith("TorchSharp.ScalarExtensionMethods::", StringComparison.Ordinal))
            {
                _creators.Add(method.Key);
            }
            string shape = Shape(method.Key);
            if (!_overridesByShape.TryGetValue(shape, out List<string>? same))
            {
                _overridesByShape[shape] = same = [];
            }
            same.Add(method.Key);
        }
        // A method that calls a creator is one: iterate to the fixed point.
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach ((string method, List<string> callees) in calls)
            {
                if (!_creators.Contains(method) && callees.Any(_creators.Contains))
                {
                    _creators.Add(method);
                    changed = true;
                }
            }
        }
        TorchSharpMethodsThatCreateScalars = _creators.Count;
    }

    /// <summary>How many TorchSharp methods create a Scalar implicitly, directly or through a callee (a sanity figure).</summary>
    public int TorchSharpMethodsThatCreateScalars { get; }

    /// <summary>Whether the TorchSharp method with this key (<c>Type::name(parameter types)</c>) creates a Scalar implicitly.</summary>
    public bool CreatesScalar(string key) => _creators.Contains(key);

    /// <summary>Every call site in <paramref name="assembly"/> that creates a Scalar implicitly: "Type.method: callee".</summary>
    public IReadOnlyList<string> Scan(string assembly)
    {
        var found = new List<string>();
        foreach (MethodIl method in Methods(assembly))
        {
            foreach (string callee in method.Calls)
            {
                bool direct = IsImplicitConversion(callee);
                // A virtual TorchSharp method may run any override of its name and parameters: all of them count.
                bool viaTorch = _creators.Contains(callee)
                    || (_virtual.Contains(callee) && _overridesByShape[Shape(callee)].Any(o => _virtual.Contains(o) && _creators.Contains(o)));
                if (direct || viaTorch)
                {
                    found.Add($"{method.Key}: {callee}");
                }
            }
        }
        return found;
    }

    private static bool IsImplicitConversion(string callee) => callee.StartsWith(ScalarType + "::op_Implicit(", StringComparison.Ordinal);

    private static bool IsToScalar(string callee) => callee.StartsWith("TorchSharp.ScalarExtensionMethods::ToScalar(", StringComparison.Ordinal);

    /// <summary>The name and parameters without the declaring type.</summary>
    private static string Shape(string key) => key[(key.IndexOf("::", StringComparison.Ordinal) + 2)..];

    private sealed record MethodIl(string Key, bool IsVirtual, List<string> Calls);

    private static IEnumerable<MethodIl> Methods(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        MetadataReader md = pe.GetMetadataReader();
        var names = new TypeNames(md);
        var result = new List<MethodIl>();
        foreach (TypeDefinitionHandle typeHandle in md.TypeDefinitions)
        {
            TypeDefinition type = md.GetTypeDefinition(typeHandle);
            string typeName = names.Of(typeHandle);
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = md.GetMethodDefinition(methodHandle);
                string key = names.Key(typeName, md.GetString(method.Name), method.DecodeSignature(names, null));
                var calls = new List<string>();
                if (method.RelativeVirtualAddress != 0)
                {
                    ReadCalls(md, names, pe.GetMethodBody(method.RelativeVirtualAddress), calls);
                }
                result.Add(new MethodIl(key, (method.Attributes & System.Reflection.MethodAttributes.Virtual) != 0, calls));
            }
        }
        return result;
    }

    private static void ReadCalls(MetadataReader md, TypeNames names, MethodBodyBlock body, List<string> calls)
    {
        BlobReader il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int op = il.ReadByte();
            if (op == 0xFE)
            {
                op = 0xFE00 | il.ReadByte();
            }
            if (op == 0x45) // switch: a count, then that many 4-byte targets
            {
                il.Offset += 4 * il.ReadInt32();
                continue;
            }
            // call, callvirt, newobj, ldftn, ldvirtftn: a method token.
            if (op is 0x28 or 0x6F or 0x73 or 0xFE06 or 0xFE07)
            {
                EntityHandle target = MetadataTokens.EntityHandle(il.ReadInt32());
                if (target.Kind == HandleKind.MethodSpecification)
                {
                    target = md.GetMethodSpecification((MethodSpecificationHandle)target).Method;
                }
                if (names.Callee(target) is { } callee)
                {
                    calls.Add(callee);
                }
                continue;
            }
            il.Offset += OperandSize(op);
        }
    }

    private static int OperandSize(int op) => op switch
    {
        0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E => 2,
        0xFE12 => 1,
        0xFE15 or 0xFE16 or 0xFE1C or 0xFE1D => 4,
        >= 0xFE00 => 0,
        0x0E or 0x0F or 0x10 or 0x11 or 0x12 or 0x13 or 0x1F or (>= 0x2B and <= 0x37) or 0xDE => 1,
        0x20 or 0x22 or (>= 0x38 and <= 0x44) or 0x27 or 0x29 or (>= 0x70 and <= 0x75) or 0x79 or (>= 0x7B and <= 0x81)
            or 0x8C or 0x8D or 0x8F or (>= 0xA3 and <= 0xA5) or 0xC2 or 0xC6 or 0xD0 or 0xDD => 4,
        0x21 or 0x23 => 8,
        _ => 0,
    };

    /// <summary>Type names as "Namespace.Outer+Inner", generic instantiations by their definition, for matching across assemblies.</summary>
    private sealed class TypeNames(MetadataReader md) : ISignatureTypeProvider<string, object?>
    {
        public string Of(TypeDefinitionHandle handle)
        {
            TypeDefinition type = md.GetTypeDefinition(handle);
            string name = md.GetString(type.Name);
            TypeDefinitionHandle outer = type.GetDeclaringType();
            if (!outer.IsNil)
            {
                return Of(outer) + "+" + name;
            }
            string ns = md.GetString(type.Namespace);
            return ns.Length > 0 ? ns + "." + name : name;
        }

        private string Of(TypeReferenceHandle handle)
        {
            TypeReference type = md.GetTypeReference(handle);
            string name = md.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return Of((TypeReferenceHandle)type.ResolutionScope) + "+" + name;
            }
            string ns = md.GetString(type.Namespace);
            return ns.Length > 0 ? ns + "." + name : name;
        }

        private string Of(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => Of((TypeDefinitionHandle)handle),
            HandleKind.TypeReference => Of((TypeReferenceHandle)handle),
            HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null) is var s
                && s.IndexOf('<', StringComparison.Ordinal) is int lt and > 0 ? s[..lt] : "?",
            _ => "?",
        };

        public string Key(string type, string name, MethodSignature<string> signature) =>
            $"{type}::{name}({string.Join(",", signature.ParameterTypes)})";

        public string? Callee(EntityHandle target)
        {
            switch (target.Kind)
            {
                case HandleKind.MethodDefinition:
                    MethodDefinition method = md.GetMethodDefinition((MethodDefinitionHandle)target);
                    return Key(Of(method.GetDeclaringType()), md.GetString(method.Name), method.DecodeSignature(this, null));
                case HandleKind.MemberReference:
                    MemberReference member = md.GetMemberReference((MemberReferenceHandle)target);
                    return member.GetKind() == MemberReferenceKind.Method
                        ? Key(Of(member.Parent), md.GetString(member.Name), member.DecodeMethodSignature(this, null))
                        : null;
                default:
                    return null;
            }
        }

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Of(handle);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Of(handle);
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
