using HealthAssist.Deidentify.Dicom;

namespace HealthAssist.UnitTests.Deidentify.Dicom;

public sealed class DicomDateShifterTests
{
    [Theory]
    [InlineData("20230105", 30, "20230204")]
    [InlineData("20240229", 365, "20250228")]
    [InlineData("20230105\\20230106", -5, "20221231\\20230101")]
    [InlineData("1997.04.24", 1, "19970425")] // retired ACR-NEMA spelling, written as DA
    public void ShiftDate_AddsTheOffsetToEveryValue(string value, int days, string expected) =>
        Assert.Equal(expected, DicomDateShifter.ShiftDate(value, days));

    [Theory]
    [InlineData("20230105093015.123456+0100", 2, "20230107093015.123456+0100")]
    [InlineData("20231231235959", 1, "20240101235959")]
    [InlineData("202301", 40, "202302")] // year and month only: shifted from the first day, written at its precision
    [InlineData("2023", -1, "2022")]
    [InlineData("20230105-0500", 1, "20230106-0500")]
    public void ShiftDateTime_KeepsPrecisionTimeAndUtcOffset(string value, int days, string expected) =>
        Assert.Equal(expected, DicomDateShifter.ShiftDateTime(value, days));

    [Theory]
    [InlineData("2023-01-05")]
    [InlineData("20231305")]
    [InlineData("yesterday")]
    public void ShiftDate_RefusesWhatIsNotADate(string value) => Assert.Null(DicomDateShifter.ShiftDate(value, 1));

    [Theory]
    [InlineData("20230105 0930")]
    [InlineData("20230105093015.1234567")]
    [InlineData("20230105+01")]
    public void ShiftDateTime_RefusesWhatIsNotADateTime(string value) => Assert.Null(DicomDateShifter.ShiftDateTime(value, 1));
}

public sealed class DescriptorCleanerTests
{
    private static readonly DescriptorCleaner Cleaner = new(["MRN-77-1234", .. DescriptorCleaner.DateSpellings("19510417")], ["Li^Wei", "Van Der Berg^Anna"]);

    [Theory]
    [InlineData("CT CHEST W CONTRAST", "CT CHEST W CONTRAST")]
    [InlineData("Follow-up Li Wei", "Follow-up [removed]")]
    [InlineData("Lisfranc joint", "Lisfranc joint")] // a short name component only as a whole word
    [InlineData("Bergstrom protocol", "[removed]strom protocol")] // long components anywhere, even inside a word
    [InlineData("ID MRN-77-1234 born 17.04.1951", "ID [removed] born [removed]")]
    [InlineData("call +1 555 867 5309 or mail a.b@example.org", "call [removed] or mail [removed]")]
    [InlineData("seen by Prof. Hawthorne", "seen by [removed]")]
    [InlineData("acc 12345678", "acc [removed]")]
    public void Clean_RemovesIdentifyingTextAndKeepsTheRest(string text, string expected) =>
        Assert.Equal(expected, Cleaner.Clean(text));

    [Fact]
    public void Clean_ReturnsTheSameInstanceWhenNothingIsFound()
    {
        const string Text = "Abdomen 5mm";

        Assert.Same(Text, Cleaner.Clean(Text));
    }
}
