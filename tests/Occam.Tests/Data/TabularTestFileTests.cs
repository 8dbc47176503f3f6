using Occam.Data;

namespace Occam.Tests.Data;

public class TabularTestFileTests
{
    [Fact]
    public void ASeparateTestFileIsReadWithTheTrainingSchemaAndEveryTrainingRowIsFitted()
    {
        CsvTable train = CsvTable.Parse("x,colour,class\n1,red,a\n3,blue,b\n5,red,a\n7,blue,b\n", "train.csv");
        CsvTable test = CsvTable.Parse("colour,class,x\ngreen,b,4\nred,a,\n", "test.csv");
        TabularData data = TabularLoader.FromTables(train, test);

        Assert.Equal([0, 1, 2, 3], data.TrainRows);
        Assert.Equal([0, 1], data.TestRows);
        Assert.Same(test, data.TestTable);
        Assert.Same(train, data.Table);
        Assert.Equal(4, data.Preprocessor.Columns[0].Mean, 12);
        Assert.Equal([1, 0], data.Test.Labels.ToArray());
        // An unseen category is all zeros, a missing number is imputed, as predict reads rows.
        float[] first = data.Test.Features.Span[..data.Test.Features.RowLength].ToArray();
        Assert.Equal([0f, 0f], first[1..3]);
    }

    [Fact]
    public void ATestFileThatBreaksTheSchemaIsAnErrorNamingIt()
    {
        CsvTable train = CsvTable.Parse("x,class\n1,a\n3,b\n", "train.csv");
        Assert.Contains("column 'x' is missing", Assert.Throws<DataFormatException>(() =>
            TabularLoader.FromTables(train, CsvTable.Parse("y,class\n1,a\n", "t.csv"))).Message, StringComparison.Ordinal);
        Assert.Contains("t.csv, line 3, column 2 ('class'): class 'c' was not seen in training", Assert.Throws<DataFormatException>(() =>
            TabularLoader.FromTables(train, CsvTable.Parse("x,class\n1,a\n2,c\n", "t.csv"))).Message, StringComparison.Ordinal);
        Assert.Contains("no label column 'class'", Assert.Throws<DataFormatException>(() =>
            TabularLoader.FromTables(train, CsvTable.Parse("x\n1\n", "t.csv"))).Message, StringComparison.Ordinal);
    }
}
