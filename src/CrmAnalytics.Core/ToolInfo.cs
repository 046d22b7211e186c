using System.Reflection;

namespace CrmAnalytics.Core;

/// <summary>What crm says about itself: the one place its version is read.</summary>
public static class ToolInfo
{
    /// <summary>
    /// The version every project is built with (<c>Version</c> in Directory.Build.props), without the source revision:
    /// written to summary.json, model sidecars, bundles and <c>.crm-output</c>, and printed by <c>crm --version</c>.
    /// </summary>
    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
