namespace CrmAnalytics.Tests.Shared;

/// <summary>Locates <c>../shared/datasets</c> beside the repository, walking up from the test binaries.</summary>
internal static class DatasetPaths
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Datasets => Root.Value;

    public static string File(params string[] parts) => Path.Combine([Datasets, .. parts]);

    /// <summary>The repository root (the folder holding CrmAnalytics.sln).</summary>
    public static string Repository
    {
        get
        {
            var built = typeof(DatasetPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .OfType<System.Reflection.AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
            if (built is not null && System.IO.File.Exists(Path.Combine(built, "CrmAnalytics.sln")))
            {
                return Path.GetFullPath(built);
            }

            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "CrmAnalytics.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new DirectoryNotFoundException("CrmAnalytics.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CRM_DATASETS");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return fromEnv;
        }

        var candidate = Path.Combine(Repository, "..", "shared", "datasets");
        if (Directory.Exists(candidate))
        {
            return Path.GetFullPath(candidate);
        }

        throw new DirectoryNotFoundException("../shared/datasets not found beside the repository; set CRM_DATASETS.");
    }
}
