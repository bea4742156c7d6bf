namespace AutoGrad.Tests.IO;

/// <summary>
/// A read-only seekable stream of a given length that holds a few leading bytes and zeros after them, without
/// storing the zeros: a stand-in for a huge file.
/// </summary>
internal sealed class SparseStream(byte[] start, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int count = (int)Math.Min(buffer.Length, Math.Max(0, length - _position));
        for (int i = 0; i < count; i++)
        {
            long at = _position + i;
            buffer[i] = at < start.Length ? start[at] : (byte)0;
        }

        _position += count;
        return count;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
