using HealthAssist.Deidentify.Notes;
using HealthAssist.Deidentify.Notes.Evaluation;
using Xunit.Abstractions;

namespace HealthAssist.UnitTests.Deidentify.Notes;

public sealed class SyntheticNoteGeneratorTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<LabelledNote> Set = SyntheticNoteGenerator.Generate(20260, 600);

    [Fact]
    public void Generate_SameSeed_GivesTheSameNotes_AndAnotherSeedOtherNotes()
    {
        var again = SyntheticNoteGenerator.Generate(20260, 600);
        var other = SyntheticNoteGenerator.Generate(20261, 600);

        Assert.Equal(Set.Select(n => n.Text), again.Select(n => n.Text));
        Assert.Equal(Set.SelectMany(n => n.Spans), again.SelectMany(n => n.Spans));
        Assert.True(Set.Zip(other).Count(p => p.First.Text != p.Second.Text) > 590);
    }

    [Fact]
    public void Generate_AnnotationsLieInsideTheText_DoNotOverlap_AndNeverStartOrEndInWhitespace()
    {
        foreach (var note in Set)
        {
            PhiSpan? previous = null;
            foreach (var span in note.Spans.OrderBy(s => s.Start))
            {
                Assert.InRange(span.End, span.Start + 1, note.Text.Length);
                Assert.False(char.IsWhiteSpace(note.Text[span.Start]) || char.IsWhiteSpace(note.Text[span.End - 1]));
                Assert.True(previous is null || previous.Value.End <= span.Start);
                previous = span;
            }
        }
    }

    [Fact]
    public void Generate_CoversEveryPhiTypeAndStyle_WithAtLeast500Notes()
    {
        Assert.True(Set.Count >= 500);
        foreach (var type in Enum.GetValues<PhiType>())
        {
            Assert.Contains(Set, n => n.Spans.Any(s => s.Type == type));
        }

        var styles = Set.Select(n => n.Style).Distinct().ToList();
        output.WriteLine(string.Join(", ", styles.Order(StringComparer.Ordinal)));
        Assert.Contains(styles, s => s.EndsWith("/lower", StringComparison.Ordinal));
        Assert.Contains(styles, s => s.EndsWith("/upper", StringComparison.Ordinal));
        Assert.True(styles.Select(s => s.Split('/')[0]).Distinct().Count() >= 9);
    }

    /// <summary>
    /// Keeps the evaluation honest: a large share of the people and places are unknown to the detector's dictionaries, so
    /// the measured recall is that of the context rules and not of a shared word list.
    /// </summary>
    [Fact]
    public void Generate_AtLeast30PercentOfNameAndPlaceSpans_AreOutsideTheDetectorsDictionaries()
    {
        int names = 0, unknownNames = 0, places = 0, unknownPlaces = 0;
        foreach (var note in Set)
        {
            foreach (var span in note.Spans)
            {
                var words = note.Text.Substring(span.Start, span.Length).Split([' ', '-', '^', '\'', '’', '.'], StringSplitOptions.RemoveEmptyEntries);
                switch (span.Type)
                {
                    case PhiType.Name:
                        names++;
                        unknownNames += words.Any(NoteLexicon.IsKnownName) ? 0 : 1;
                        break;
                    case PhiType.Location when !span.Length.Equals(2) && !char.IsDigit(note.Text[span.Start]):
                    case PhiType.Institution:
                        places++;
                        unknownPlaces += words.Any(w => NoteLexicon.IsKnownCity(w) || NoteLexicon.IsKnownName(w)) ? 0 : 1;
                        break;
                    default:
                        break;
                }
            }
        }

        output.WriteLine($"names outside the dictionaries: {unknownNames} of {names} ({100.0 * unknownNames / names:F1} %)");
        output.WriteLine($"cities and institutions outside the dictionaries: {unknownPlaces} of {places} ({100.0 * unknownPlaces / places:F1} %)");
        Assert.True(unknownNames >= names * 0.30);
        Assert.True(unknownPlaces >= places * 0.30);
    }
}
