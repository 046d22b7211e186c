using System.Globalization;

namespace CrmAnalytics.Tests;

/// <summary>Pins the invariant culture for every test in this assembly; culture-specific fixtures switch it themselves.</summary>
[SetUpFixture]
public sealed class CultureSetUp
{
    [OneTimeSetUp]
    public void PinCulture()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
    }
}
