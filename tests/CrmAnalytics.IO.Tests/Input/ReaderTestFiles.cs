using System.Text;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.IO.Tests.Input;

/// <summary>Writes small inputs to a temp folder and collects rejects.</summary>
internal sealed class ReaderTestFiles : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crm-reader-").FullName;

    public string Write(string name, string content, bool bom = false)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content, new UTF8Encoding(bom));
        return path;
    }

    public string WriteBytes(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

internal sealed class CollectingRejectSink : IRejectSink
{
    public List<(long Line, string Column, RejectReason Reason, string Raw)> Rejects { get; } = [];

    public void Reject(string file, long line, string column, RejectReason reason, ReadOnlySpan<byte> rawRecord) =>
        Rejects.Add((line, column, reason, Encoding.UTF8.GetString(rawRecord)));
}
