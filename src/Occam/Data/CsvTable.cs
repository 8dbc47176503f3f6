using System.Text;

namespace Occam.Data;

/// <summary>
/// A CSV file parsed per RFC 4180: a header row, then records of as many fields. Quoted fields may hold commas,
/// doubled quotes and line breaks; lines may end in LF or CRLF; a UTF-8 byte-order mark is skipped; blank lines
/// are ignored; unquoted fields are trimmed of surrounding spaces. Cells are kept as strings.
/// </summary>
public sealed class CsvTable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string[][] _rows;
    private readonly int[] _lines;
    private readonly Dictionary<string, int> _columnIndex;

    private CsvTable(string source, string[] header, string[][] rows, int[] lines)
    {
        Source = source;
        Header = header;
        _rows = rows;
        _lines = lines;
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            _columnIndex[header[i]] = i;
        }
    }

    /// <summary>Name of the file (or other source) the table came from, for error messages.</summary>
    public string Source { get; }

    /// <summary>Column names, in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Number of data rows (the header excluded).</summary>
    public int RowCount => _rows.Length;

    /// <summary>Number of columns.</summary>
    public int ColumnCount => Header.Count;

    /// <summary>The cell at data row <paramref name="row"/> and column <paramref name="column"/> (0-based).</summary>
    public string Cell(int row, int column) => _rows[row][column];

    /// <summary>The 1-based line of the file on which data row <paramref name="row"/> starts.</summary>
    public int LineOf(int row) => _lines[row];

    /// <summary>Index of the column named <paramref name="name"/>, or -1.</summary>
    public int ColumnIndex(string name) => _columnIndex.TryGetValue(name, out int index) ? index : -1;

    /// <summary>Reads and parses a CSV file.</summary>
    /// <exception cref="DataFormatException">The file is missing, empty, not UTF-8 text, or malformed.</exception>
    public static CsvTable Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(DataFiles.ReadAll(path), path);
    }

    /// <summary>Parses UTF-8 CSV bytes; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="DataFormatException">The bytes are empty, not UTF-8 text, or malformed CSV.</exception>
    public static CsvTable Parse(ReadOnlySpan<byte> utf8, string source)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (utf8.StartsWith(bom))
        {
            utf8 = utf8[3..];
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw DataFormatException.InFile(source, "not a UTF-8 text file");
        }

        return Parse(text, source);
    }

    /// <summary>Parses CSV text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="DataFormatException">The text is empty or malformed CSV.</exception>
    public static CsvTable Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw DataFormatException.InFile(source, "contains NUL characters (a binary file, not CSV)");
        }

        var parser = new Parser(text, source);
        var records = new List<string[]>();
        var lines = new List<int>();
        while (parser.Next(out string[]? record, out int line))
        {
            records.Add(record);
            lines.Add(line);
        }

        if (records.Count == 0)
        {
            throw DataFormatException.InFile(source, "the file is empty (no header row)");
        }

        string[] header = records[0];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++)
        {
            if (header[i].Length == 0)
            {
                header[i] = $"column_{i + 1}";
            }

            if (!seen.Add(header[i]))
            {
                throw DataFormatException.InFile(source, $"line {lines[0]}: column name '{header[i]}' appears twice in the header");
            }
        }

        if (records.Count == 1)
        {
            throw DataFormatException.InFile(source, "has a header but no data rows");
        }

        var rows = new string[records.Count - 1][];
        var rowLines = new int[records.Count - 1];
        for (int r = 1; r < records.Count; r++)
        {
            if (records[r].Length != header.Length)
            {
                throw DataFormatException.InFile(source, $"line {lines[r]} has {records[r].Length} fields but the header has {header.Length}");
            }

            rows[r - 1] = records[r];
            rowLines[r - 1] = lines[r];
        }

        return new CsvTable(source, header, rows, rowLines);
    }

    /// <summary>An RFC 4180 record reader over a string, counting physical lines.</summary>
    private sealed class Parser(string text, string source)
    {
        private readonly StringBuilder _field = new();
        private readonly List<string> _fields = [];
        private int _position;
        private int _line = 1;

        /// <summary>Reads the next non-blank record and the line it starts on; false at the end of the text.</summary>
        public bool Next([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string[]? record, out int line)
        {
            while (_position < text.Length)
            {
                line = _line;
                _fields.Clear();
                bool anyQuoted = false;
                while (true)
                {
                    anyQuoted |= ReadField();
                    if (_position < text.Length && text[_position] == ',')
                    {
                        _position++;
                        continue;
                    }

                    EndLine();
                    break;
                }

                if (_fields.Count == 1 && _fields[0].Length == 0 && !anyQuoted)
                {
                    continue;
                }

                record = [.. _fields];
                return true;
            }

            record = null;
            line = _line;
            return false;
        }

        /// <summary>Reads one field at the current position; true when it was quoted.</summary>
        private bool ReadField()
        {
            if (_position < text.Length && text[_position] == '"')
            {
                int startLine = _line;
                _position++;
                _field.Clear();
                while (true)
                {
                    if (_position >= text.Length)
                    {
                        throw DataFormatException.InFile(source, $"line {startLine}: a quoted field is never closed");
                    }

                    char c = text[_position];
                    if (c == '"')
                    {
                        if (_position + 1 < text.Length && text[_position + 1] == '"')
                        {
                            _field.Append('"');
                            _position += 2;
                            continue;
                        }

                        _position++;
                        break;
                    }

                    if (c == '\n')
                    {
                        _line++;
                    }

                    _field.Append(c);
                    _position++;
                }

                if (_position < text.Length && text[_position] is not (',' or '\r' or '\n'))
                {
                    throw DataFormatException.InFile(source, $"line {_line}: unexpected text after a closing quote");
                }

                _fields.Add(_field.ToString());
                return true;
            }

            int start = _position;
            while (_position < text.Length && text[_position] is not (',' or '\r' or '\n'))
            {
                _position++;
            }

            _fields.Add(text.AsSpan(start, _position - start).Trim(' ').ToString());
            return false;
        }

        private void EndLine()
        {
            if (_position >= text.Length)
            {
                return;
            }

            if (text[_position] == '\r')
            {
                _position++;
                if (_position < text.Length && text[_position] == '\n')
                {
                    _position++;
                }
            }
            else
            {
                _position++;
            }

            _line++;
        }
    }
}
