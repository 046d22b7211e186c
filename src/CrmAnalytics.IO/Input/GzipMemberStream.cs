using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace CrmAnalytics.IO.Input;

/// <summary>
/// Decompresses every member of a gzip file (RFC 1952) and checks each member's trailer, its CRC-32 and ISIZE, against
/// what was decompressed. .NET's <see cref="GZipStream"/> ends quietly where a truncated file ends; this stream throws
/// <see cref="InvalidDataException"/> instead, so a truncated or corrupt file is never read as a shorter complete one.
/// </summary>
/// <remarks>
/// Each member is inflated by a <see cref="DeflateStream"/> fed from this stream's buffer. The inflater asks for input
/// only once it has used all it was given, so its member ends inside the last chunk it was given: the trailer is the
/// first place there that holds the expected CRC-32 and ISIZE and is followed by the end of the file or another member.
/// </remarks>
internal sealed class GzipMemberStream : ForwardReadStream
{
    private const int ChunkSize = 1 << 16;
    private const byte Id1 = 0x1f;
    private const byte Id2 = 0x8b;
    private const byte Deflate = 8;

    private readonly Stream _input;
    private readonly Crc32 _crc = new();
    private byte[] _buffer = new byte[2 * ChunkSize];
    private long _bufferOffset;
    private int _start;
    private int _end;
    private bool _inputEnded;
    private long _handedFrom;
    private DeflateStream? _member;
    private bool _inputEndedInMember;
    private uint _size;
    private int _members;
    private bool _done;

    public GzipMemberStream(Stream input) => _input = input;

    public override int Read(Span<byte> buffer)
    {
        while (!_done && buffer.Length > 0)
        {
            if (_member is null && !BeginMember())
            {
                _done = true;
                break;
            }

            int n;
            try
            {
                n = _member!.Read(buffer);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"is corrupt: gzip member {_members} does not inflate ({ex.Message}).", ex);
            }

            if (n > 0)
            {
                _crc.Append(buffer[..n]);
                _size = unchecked(_size + (uint)n);
                return n;
            }

            EndMember();
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _member?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads the next member's header; false at the end of the file after at least one member.</summary>
    private bool BeginMember()
    {
        if (!Available(InputPosition, 1))
        {
            return _members > 0 ? false : throw new InvalidDataException("is empty, not gzip-compressed.");
        }

        if (Next() != Id1 || Next() != Id2)
        {
            throw new InvalidDataException(_members == 0
                ? "is not gzip-compressed (it does not start with the gzip signature); remove the .gz suffix or compress it with gzip."
                : $"is corrupt: unexpected data after gzip member {_members}.");
        }

        _members++;
        if (Next() != Deflate)
        {
            throw new InvalidDataException($"is corrupt: gzip member {_members} uses an unknown compression method.");
        }

        var flags = Next();
        if (flags < 0 || (flags & 0xe0) != 0)
        {
            throw new InvalidDataException($"is corrupt: gzip member {_members} has an invalid header.");
        }

        Skip(6); // MTIME, XFL, OS
        if ((flags & 0x04) != 0)
        {
            Skip(Next() | (Next() << 8)); // FEXTRA
        }

        if ((flags & 0x08) != 0)
        {
            SkipZeroTerminated(); // FNAME
        }

        if ((flags & 0x10) != 0)
        {
            SkipZeroTerminated(); // FCOMMENT
        }

        if ((flags & 0x02) != 0)
        {
            Skip(2); // FHCRC
        }

        _crc.Reset();
        _size = 0;
        _handedFrom = InputPosition;
        _inputEndedInMember = false;
        _member = new DeflateStream(new Feeder(this), CompressionMode.Decompress, leaveOpen: false);
        return true;
    }

    /// <summary>Finds and checks the member's trailer, and moves past it.</summary>
    private void EndMember()
    {
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], _size);
        var garbageAfterTrailer = false;
        for (var p = _handedFrom; p <= InputPosition; p++)
        {
            if (!Available(p, 8) || !Slice(p, 8).SequenceEqual(trailer))
            {
                continue;
            }

            if (!Available(p + 8, 1) || (Available(p + 8, 2) && Slice(p + 8, 2) is [Id1, Id2]))
            {
                _start = checked((int)(p + 8 - _bufferOffset));
                _member!.Dispose();
                _member = null;
                return;
            }

            garbageAfterTrailer = true;
        }

        throw new InvalidDataException(
            _inputEndedInMember ? $"is truncated: gzip member {_members} ends early (unexpected end of file)."
            : garbageAfterTrailer ? $"is corrupt: unexpected data after gzip member {_members}."
            : $"is truncated or corrupt: the trailer of gzip member {_members} is missing or does not match its CRC-32 and length.");
    }

    /// <summary>The file offset of the next unread input byte.</summary>
    private long InputPosition => _bufferOffset + _start;

    private ReadOnlySpan<byte> Slice(long offset, int count) => _buffer.AsSpan(checked((int)(offset - _bufferOffset)), count);

    private int Next()
    {
        if (!Available(InputPosition, 1))
        {
            throw new InvalidDataException($"is truncated: gzip member {_members} ends inside its header (unexpected end of file).");
        }

        return _buffer[_start++];
    }

    private void Skip(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Next();
        }
    }

    private void SkipZeroTerminated()
    {
        while (Next() != 0)
        {
        }
    }

    /// <summary>
    /// Whether the file has the bytes [<paramref name="offset"/>, +<paramref name="count"/>), reading more when needed; the
    /// bytes from the last chunk handed to the inflater on stay in the buffer.
    /// </summary>
    private bool Available(long offset, int count)
    {
        while (_bufferOffset + _end < offset + count)
        {
            if (_inputEnded)
            {
                return false;
            }

            var keep = (int)(Math.Min(_handedFrom, InputPosition) - _bufferOffset);
            if (keep > 0)
            {
                Buffer.BlockCopy(_buffer, keep, _buffer, 0, _end - keep);
                _bufferOffset += keep;
                _start -= keep;
                _end -= keep;
            }

            if (_buffer.Length - _end < ChunkSize)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var n = _input.Read(_buffer, _end, ChunkSize);
            if (n <= 0)
            {
                _inputEnded = true;
            }

            _end += Math.Max(n, 0);
        }

        return true;
    }

    /// <summary>Hands the inflater the next chunk of input.</summary>
    private int Feed(Span<byte> destination)
    {
        if (!Available(InputPosition, 1))
        {
            _inputEndedInMember = true;
            return 0;
        }

        _handedFrom = InputPosition;
        var n = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    /// <summary>The input side of one member's <see cref="DeflateStream"/>.</summary>
    private sealed class Feeder(GzipMemberStream owner) : ForwardReadStream
    {
        public override int Read(Span<byte> buffer) => owner.Feed(buffer);
    }
}
