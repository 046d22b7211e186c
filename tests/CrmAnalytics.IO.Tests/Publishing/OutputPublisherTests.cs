using CrmAnalytics.Core;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Tests.TestSupport;

namespace CrmAnalytics.IO.Tests.Publishing;

[TestFixture]
public sealed class OutputPublisherTests
{
    private const string StaleId = "0123456789abcdef";

    private TempFolder _temp = null!;
    private string _target = null!;

    [SetUp]
    public void CreateFolder()
    {
        _temp = new TempFolder();
        _target = _temp.Combine("out");
    }

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    /// <summary>
    /// Everything in the parent folder except the target and its output lock, which stays by design: temp, old and
    /// per-run lock leftovers. A released output lock must be empty (a holder line would read as a killed run).
    /// </summary>
    private string[] Leftovers()
    {
        var outputLock = _temp.Combine(".out.lock");
        string? holder = null;
        try
        {
            holder = File.Exists(outputLock) ? File.ReadAllText(outputLock) : null;
        }
        catch (IOException)
        {
            // Held by a publisher the test still has open.
        }

        Assert.That(holder, Is.Null.Or.Empty, "a released output lock names no holder");

        return Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).Where(n => n is not "out" and not ".out.lock").Select(n => n!).ToArray();
    }

    private void WritePreviousOutput()
    {
        Directory.CreateDirectory(Path.Combine(_target, "segments"));
        File.WriteAllText(Path.Combine(_target, "customers.csv"), "previous");
        File.WriteAllBytes(Path.Combine(_target, "segments", "others.csv"), [1, 2, 3]);
        File.WriteAllText(Path.Combine(_target, OutputOwnership.MarkerFile), """{"tool": "crm", "files": ["customers.csv", "segments/others.csv"]}""");
    }

    [Test]
    public void Begin_NewTarget_CreatesEmptyWorkingFolderNextToIt()
    {
        using var publisher = OutputPublisher.Begin(_target, []);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Path.GetDirectoryName(publisher.WorkingDirectory), Is.EqualTo(_temp.Path));
            Assert.That(Path.GetFileName(publisher.WorkingDirectory), Does.Match(@"^\.out\.tmp-[0-9a-f]{16}$"));
            Assert.That(Directory.GetFileSystemEntries(publisher.WorkingDirectory), Is.Empty);
            Assert.That(publisher.TargetDirectory, Is.EqualTo(_target));
            Assert.That(Directory.Exists(_target), Is.False);
        }
    }

    [Test]
    public void Commit_NewTarget_PublishesFilesAndLeavesNothingElse()
    {
        using (var publisher = OutputPublisher.Begin(_target + "/", []))
        {
            File.WriteAllText(publisher.PathOf("customers.csv"), "new");
            CustomerCsvWriter.WriteSegmentFiles(publisher.WorkingDirectory, [TestCustomers.Standard()], ["champions"]);
            publisher.Commit();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(Path.Combine(_target, "customers.csv")), Is.EqualTo("new"));
            Assert.That(File.Exists(Path.Combine(_target, "segments", "champions.csv")), Is.True);
            Assert.That(Leftovers(), Is.Empty);
        }
    }

    [Test]
    public void Commit_ExistingTarget_ReplacesItsWholeContent()
    {
        WritePreviousOutput();

        using (var publisher = OutputPublisher.Begin(_target, []))
        {
            File.WriteAllText(publisher.PathOf("customers.csv"), "new");
            publisher.Commit();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(Path.Combine(_target, "customers.csv")), Is.EqualTo("new"));
            Assert.That(Directory.Exists(Path.Combine(_target, "segments")), Is.False, "files of the previous run do not linger");
            Assert.That(Leftovers(), Is.Empty);
        }
    }

    [Test]
    public void Dispose_WithoutCommit_LeavesPreviousOutputByteIdenticalAndNoWorkingFolder()
    {
        WritePreviousOutput();
        var before = Snapshot(_target);

        using (var publisher = OutputPublisher.Begin(_target, []))
        {
            File.WriteAllText(publisher.PathOf("customers.csv"), "half-written");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Snapshot(_target), Is.EqualTo(before));
            Assert.That(Leftovers(), Is.Empty);
        }
    }

    [Test]
    public void Begin_TargetIsAFile_ThrowsOutputExceptionNamingIt()
    {
        File.WriteAllText(_target, "not a folder");

        var ex = Assert.Throws<OutputException>(() => OutputPublisher.Begin(_target, []));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex?.Message, Does.Contain(_target).And.Contain("file"));
            Assert.That(ex?.ExitCode, Is.EqualTo(ExitCodes.OutputFailed));
            Assert.That(File.ReadAllText(_target), Is.EqualTo("not a folder"));
        }
    }

    [Test]
    public void Begin_ParentIsAFile_ThrowsOutputExceptionNamingTarget()
    {
        File.WriteAllText(_temp.Combine("blocker"), "x");
        var target = _temp.Combine("blocker", "out");

        var ex = Assert.Throws<OutputException>(() => OutputPublisher.Begin(target, []));

        Assert.That(ex?.Message, Does.Contain(target));
    }

    [Test]
    public void Begin_ReadOnlyParent_ThrowsOutputExceptionNamingTarget()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("POSIX permissions only.");
            return;
        }

        var parent = _temp.Combine("locked");
        Directory.CreateDirectory(parent);
        File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (CanCreateFileIn(parent))
        {
            Assert.Ignore("Permissions are not enforced for this user (root?).");
        }

        var target = Path.Combine(parent, "out");
        var ex = Assert.Throws<OutputException>(() => OutputPublisher.Begin(target, []));

        Assert.That(ex?.Message, Does.Contain(target).And.Contain("permission denied"));
    }

    [Test]
    public void Begin_StaleWorkingFolderOfKilledRun_IsRemoved()
    {
        var stale = _temp.Combine($".out.tmp-{StaleId}");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "customers.csv"), "partial");

        using var publisher = OutputPublisher.Begin(_target, []);

        Assert.That(Directory.Exists(stale), Is.False);
    }

    [Test]
    public void Begin_StaleLockFileOfKilledRun_IsRemovedWithItsFolders()
    {
        File.WriteAllText(_temp.Combine($".out.{StaleId}.lock"), string.Empty);
        Directory.CreateDirectory(_temp.Combine($".out.tmp-{StaleId}"));

        using var publisher = OutputPublisher.Begin(_target, []);

        Assert.That(Leftovers(), Is.EquivalentTo(new[]
        {
            Path.GetFileName(publisher.WorkingDirectory),
            $".out.{Path.GetFileName(publisher.WorkingDirectory)[^16..]}.lock",
        }));
    }

    [Test]
    public void Begin_OldFolderWithoutTarget_RestoresPreviousOutput()
    {
        var old = _temp.Combine($".out.old-{StaleId}");
        Directory.CreateDirectory(old);
        File.WriteAllText(Path.Combine(old, "customers.csv"), "previous");
        File.WriteAllText(Path.Combine(old, OutputOwnership.MarkerFile), """{"tool": "crm", "files": ["customers.csv"]}""");
        Directory.CreateDirectory(_temp.Combine($".out.tmp-{StaleId}"));

        using (OutputPublisher.Begin(_target, []))
        {
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(Path.Combine(_target, "customers.csv")), Is.EqualTo("previous"));
            Assert.That(Leftovers(), Is.Empty);
        }
    }

    [Test]
    public void Begin_OldFolderBesideExistingTarget_IsDeleted()
    {
        WritePreviousOutput();
        Directory.CreateDirectory(_temp.Combine($".out.old-{StaleId}"));

        using (OutputPublisher.Begin(_target, []))
        {
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(Path.Combine(_target, "customers.csv")), Is.EqualTo("previous"));
            Assert.That(Leftovers(), Is.Empty);
        }
    }

    [Test]
    public void Begin_WhileAnotherRunIsAlive_IsRefusedWithExitEightAndTouchesNothing()
    {
        using var first = OutputPublisher.Begin(_target, []);
        File.WriteAllText(first.PathOf("customers.csv"), "first");

        var ex = Assert.Throws<OutputLockedException>(() => OutputPublisher.Begin(_target, []));
        Assert.That(ex!.ExitCode, Is.EqualTo(ExitCodes.Locked));
        Assert.That(ex.Message, Does.Contain("Another crm run"));

        var id = Path.GetFileName(first.WorkingDirectory)[^16..];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(first.PathOf("customers.csv")), Is.EqualTo("first"));
            Assert.That(File.Exists(_temp.Combine($".out.{id}.lock")), Is.True, "the refused run must not delete the live run's files");
        }

        first.Commit();
        first.Dispose();
        using var later = OutputPublisher.Begin(_target, []);
        Assert.That(later.StaleLockHolder, Is.Null, "the first run released its lock cleanly");
    }

    [Test]
    public void Begin_LockLeftByAKilledRun_IsRecoveredAndReported()
    {
        // A killed process loses its OS lock but leaves its holder line in the file.
        File.WriteAllText(_temp.Combine(".out.lock"), "pid 4242, started 2026-01-01T02:30:00Z\n");
        Directory.CreateDirectory(_temp.Combine($".out.tmp-{StaleId}"));

        using (var publisher = OutputPublisher.Begin(_target, []))
        {
            Assert.That(publisher.StaleLockHolder, Is.EqualTo("pid 4242, started 2026-01-01T02:30:00Z"));
            Assert.That(() => File.ReadAllText(OutputPublisher.OutputLockPath(_target)), Throws.InstanceOf<IOException>(), "this run holds the lock now");
            publisher.Commit();
        }

        Assert.That(Leftovers(), Is.Empty, "the killed run's working folder is gone and the lock released cleanly");
    }

    [Test]
    public void Begin_LookalikeFolders_AreLeftAlone()
    {
        string[] lookalikes = [".out.tmp-notanid", ".other.tmp-" + StaleId, ".out.tmp-" + StaleId.ToUpperInvariant(), ".outx.tmp-" + StaleId];
        foreach (var name in lookalikes)
        {
            Directory.CreateDirectory(_temp.Combine(name));
        }

        using (OutputPublisher.Begin(_target, []))
        {
        }

        Assert.That(Leftovers().Order(StringComparer.Ordinal), Is.EqualTo(lookalikes.Order(StringComparer.Ordinal)));
    }

    [Test]
    public void Commit_Twice_ThrowsInvalidOperation()
    {
        using var publisher = OutputPublisher.Begin(_target, []);
        publisher.Commit();

        Assert.Throws<InvalidOperationException>(publisher.Commit);
    }

    [Test]
    public void Commit_TargetBecameAFile_ThrowsOutputExceptionAndDisposeCleansUp()
    {
        var publisher = OutputPublisher.Begin(_target, []);
        File.WriteAllText(_target, "a file appeared");

        var ex = Assert.Throws<OutputException>(publisher.Commit);
        publisher.Dispose();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex?.Message, Does.Contain(_target));
            Assert.That(File.ReadAllText(_target), Is.EqualTo("a file appeared"));
            Assert.That(Leftovers(), Is.Empty);
        }
    }

    [TestCase("../escape.csv")]
    [TestCase("segments/../../escape.csv")]
    [TestCase("/etc/passwd")]
    public void PathOf_PathLeavingWorkingFolder_Throws(string relative)
    {
        using var publisher = OutputPublisher.Begin(_target, []);

        Assert.Throws<ArgumentException>(() => publisher.PathOf(relative));
    }

    [Test]
    public void PathOf_NestedRelativePath_IsInsideWorkingFolder()
    {
        using var publisher = OutputPublisher.Begin(_target, []);

        Assert.That(publisher.PathOf("segments/others.csv"), Is.EqualTo(Path.Combine(publisher.WorkingDirectory, "segments", "others.csv")));
    }

    private static bool CanCreateFileIn(string folder)
    {
        var probe = Path.Combine(folder, "probe");
        try
        {
            File.WriteAllText(probe, "x");
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(File.ReadAllBytes(f)));
}
