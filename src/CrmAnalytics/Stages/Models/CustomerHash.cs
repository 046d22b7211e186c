using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CrmAnalytics.Stages.Models;

/// <summary>
/// The stable hashes of customer ids (unlike <see cref="string.GetHashCode()"/>, the same across machines, runs and
/// .NET versions): <see cref="Fnv1a64"/> draws fit samples, <see cref="ShardKey"/> places customers in shards.
/// </summary>
internal static class CustomerHash
{
    public const ulong OffsetBasis = 14695981039346656037UL;

    public const ulong Prime = 1099511628211UL;

    /// <summary>FNV-1a 64 of the UTF-8 bytes (offset basis 14695981039346656037, prime 1099511628211, XOR each byte then multiply, modulo 2^64).</summary>
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

    /// <summary>
    /// The shard key: the first 15 hex digits of the MD5 of the id's UTF-8 bytes, read as a 60-bit (never negative)
    /// integer. Every SQL engine has MD5 as hex text and a way to read 15 hex digits as a BIGINT, so a warehouse
    /// computes the same key (<c>crm sql --shard</c>).
    /// </summary>
    public static long ShardKey(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        Span<byte> digest = stackalloc byte[MD5.HashSizeInBytes];
#pragma warning disable CA5351 // MD5 places ids in shards; it protects nothing.
        MD5.HashData(Encoding.UTF8.GetBytes(customerId), digest);
#pragma warning restore CA5351
        return (long)(BinaryPrimitives.ReadUInt64BigEndian(digest) >> 4);
    }
}
