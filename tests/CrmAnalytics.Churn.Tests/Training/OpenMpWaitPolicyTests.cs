using System.Runtime.InteropServices;
using CrmAnalytics.Churn.Training;

namespace CrmAnalytics.Churn.Tests.Training;

[TestFixture]
public sealed class OpenMpWaitPolicyTests
{
    [Test]
    public void EnsurePassive_AnyEnvironment_NativeEnvironmentThatLibgompReadsAgreesWithDotNets()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "libgomp reads the native environment on Unix");

        OpenMpWaitPolicy.EnsurePassive();

        // Environment.SetEnvironmentVariable alone changes only .NET's copy: libgomp, loaded with LightGBM, would still
        // see no policy and spin beside a busy neighbour. The user's own value, when set, is kept in both.
        var managed = Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable);
        Assert.That(managed, Is.Not.Null.And.Not.Empty);
        Assert.That(Marshal.PtrToStringAnsi(NativeMethods.GetEnv(OpenMpWaitPolicy.Variable)), Is.EqualTo(managed));
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "getenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern IntPtr GetEnv(string name);
    }
}
