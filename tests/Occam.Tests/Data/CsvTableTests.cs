using System.Text;
using Occam.Data;

namespace Occam.Tests.Data;

public class CsvTableTests
{
    [Fact]
    public void ParsesQuotesCommasDoubledQuotesAndNewlinesInQuotes()
    {
        CsvTable table = CsvTable.Parse("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,,3\n", "t.csv");

        Assert.Equal(["a", "b", "c"], table.Header);
        Assert.Equal(2, table.RowCount);
        Assert.Equal("x, y", table.Cell(0, 0));
        Assert.Equal("say \"hi\"", table.Cell(0, 1));
        Assert.Equal("two\nlines", table.Cell(0, 2));
        Assert.Equal(string.Empty, table.Cell(1, 1));
        Assert.Equal(2, table.LineOf(0));
        Assert.Equal(4, table.LineOf(1));
    }

    [Fact]
    public void AcceptsBomCrlfBlankLinesAndNoFinalNewline()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("x,class\r\n1,a\r\n\r\n2,b")];
        CsvTable table = CsvTable.Parse(bytes, "t.csv");

        Assert.Equal(["x", "class"], table.Header);
        Assert.Equal(2, table.RowCount);
        Assert.Equal("a", table.Cell(0, 1));
        Assert.Equal("b", table.Cell(1, 1));
        Assert.Equal(4, table.LineOf(1));
    }

    [Fact]
    public void RaggedRowNamesItsLine()
    {
        var e = Assert.Throws<DataFormatException>(() => CsvTable.Parse("a,b\n1,2\n3,4\n5\n", "r.csv"));
        Assert.Equal("r.csv: line 4 has 1 fields but the header has 2", e.Message);
    }

    [Fact]
    public void EmptyHeaderOnlyAndBinaryInputsAreRejected()
    {
        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => CsvTable.Parse(string.Empty, "e.csv")).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => CsvTable.Parse("\n\n", "e.csv")).Message, StringComparison.Ordinal);
        Assert.Contains("no data rows", Assert.Throws<DataFormatException>(() => CsvTable.Parse("a,b\n", "h.csv")).Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", Assert.Throws<DataFormatException>(() => CsvTable.Parse([0x61, 0xFF, 0xFE, 0x0A], "b.csv")).Message, StringComparison.Ordinal);
        Assert.Contains("NUL", Assert.Throws<DataFormatException>(() => CsvTable.Parse("a\0,b\n1,2\n", "n.csv")).Message, StringComparison.Ordinal);
        Assert.Contains("never closed", Assert.Throws<DataFormatException>(() => CsvTable.Parse("a,b\n1,\"2\n", "q.csv")).Message, StringComparison.Ordinal);
        Assert.Contains("twice", Assert.Throws<DataFormatException>(() => CsvTable.Parse("a,a\n1,2\n", "d.csv")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsAOneLineError()
    {
        var e = Assert.Throws<DataFormatException>(() => CsvTable.Load("/nonexistent/x.csv"));
        Assert.Equal("/nonexistent/x.csv: file not found", e.Message);
    }

    [Fact]
    public void RandomBytesAreRejectedWithoutCrashing()
    {
        using var dir = new TempDir();
        for (int seed = 0; seed < 30; seed++)
        {
            string path = dir.Write("random.csv", DataFixtures.RandomBytes(2000, seed));
            Assert.Throws<DataFormatException>(() => TabularLoader.Load(path));
        }
    }
}
