namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <see cref="CipoServiceCollectionExtensions.AddCipoCore"/> to chain further Cipo registrations.</summary>
public interface ICipoBuilder
{
    /// <summary>The service collection the registrations go to.</summary>
    IServiceCollection Services { get; }
}
