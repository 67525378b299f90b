// HostedWorker: CiPO in a Generic Host: options bound from appsettings.json (sections Cipo, Cipo:Optimizer, … and
// Worker), console logging, Ctrl+C cancellation that leaves a resumable checkpoint.
//
//   dotnet run -c Release --project samples/HostedWorker                          the embedded default model
//   dotnet run -c Release --project samples/HostedWorker -- --Worker:Smoke=true   a tiny model (seconds; numbers mean nothing)
using Cipo.Samples.HostedWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// appsettings.json is copied next to the program, so the content root is the program's folder, wherever it is started from.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddCipo(builder.Configuration); // binds Cipo, Cipo:Counterfactuals, Cipo:Pairs, Cipo:Optimizer, Cipo:Audit; validated on start
builder.Services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection("Worker")).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<UnlearningWorker>();
try
{
    await builder.Build().RunAsync();
}
catch (OptionsValidationException ex)
{
    // A bad appsettings.json value: every failure names its option and field.
    Console.Error.WriteLine($"HostedWorker: invalid configuration:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ex.Failures)}");
    return 2;
}
return Environment.ExitCode;
