namespace Microsoft.Extensions.DependencyInjection;

internal sealed class CipoBuilder(IServiceCollection services) : ICipoBuilder
{
    public IServiceCollection Services { get; } = services;
}
