using System.ComponentModel.DataAnnotations;

namespace Cipo.Embedded;

/// <summary>The data-annotation check of the embedded options classes (their [Range] attributes), one message format.</summary>
internal static class OptionsValidation
{
    /// <summary>Throws naming every bad field of <paramref name="options"/>: <c>Invalid TypeName: Field: message …</c>.</summary>
    /// <exception cref="ArgumentException">A field is out of its range.</exception>
    public static void ThrowIfInvalid(object options)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new ArgumentException($"Invalid {options.GetType().Name}: {string.Join(" ", results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"))}");
        }
    }
}
