using System.Management.Automation;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>Accepts a number as milliseconds (<c>-BatchDelay 500</c>) as well as a TimeSpan or "00:00:01".</summary>
public sealed class MillisecondsTimeSpanTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject ps ? ps.BaseObject : inputData) switch
        {
            int ms => TimeSpan.FromMilliseconds(ms),
            long ms => TimeSpan.FromMilliseconds(ms),
            double ms => TimeSpan.FromMilliseconds(ms),
            string s when double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms) => TimeSpan.FromMilliseconds(ms),
            var other => other,
        };
}
