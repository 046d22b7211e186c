using System.Text;

namespace CrmAnalytics.Stages.Models;

/// <summary>
/// FNV-1a 64 of a customer id's UTF-8 bytes: the one hash that places customers in shards and fit samples. It is
/// stable across machines, runs and .NET versions (unlike <see cref="string.GetHashCode()"/>), and plain enough to
/// write in any engine's SQL (offset basis 14695981039346656037, prime 1099511628211, XOR each byte then multiply,
/// modulo 2^64).
/// </summary>
internal static class CustomerHash
{
    public const ulong OffsetBasis = 14695981039346656037UL;

    public const ulong Prime = 1099511628211UL;

    public static ulong Fnv1a64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = OffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash = unchecked(hash * Prime);
        }

        return hash;
    }
}
