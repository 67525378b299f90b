using System.Text;

namespace Cipo.Cli.Tests;

/// <summary>
/// A stderr for an in-process run that calls <c>onTrigger</c> once a line containing <c>trigger</c> is written (a
/// progress line such as <c>round 1/3</c>): to cancel the run there, or to know that it has got that far.
/// </summary>
internal sealed class TriggerWriter(string trigger, Action onTrigger) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value is not null && value.Contains(trigger, StringComparison.Ordinal))
        {
            onTrigger();
        }
    }

    public override Encoding Encoding => Encoding.UTF8;
}
