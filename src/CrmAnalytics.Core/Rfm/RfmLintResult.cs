using System.Globalization;
using System.Text;

namespace CrmAnalytics.Core.Rfm;

/// <summary>What <see cref="RfmRulesLinter"/> found over the 125 (R, F, M) cells of a rule table.</summary>
/// <param name="UncoveredCells">Cells no rule contains (their customers fall to Others), in code order ("111" first).</param>
/// <param name="Rules">One entry per rule, in table order.</param>
/// <param name="Overlaps">Cells more than one rule contains, in code order: the earliest rule wins, the rest are shadowed there.</param>
public sealed record RfmLintResult(
    IReadOnlyList<RfmScore> UncoveredCells,
    IReadOnlyList<RfmRuleCoverage> Rules,
    IReadOnlyList<RfmCellOverlap> Overlaps)
{
    /// <summary>The number of (R, F, M) cells: 5 × 5 × 5.</summary>
    public const int CellCount = 125;

    /// <summary>Rules that win no cell, because earlier rules claim every cell of their box.</summary>
    public IReadOnlyList<RfmRuleCoverage> FullyShadowedRules => Rules.Where(r => r.FullyShadowed).ToArray();

    /// <summary>True when every cell is covered and every rule wins at least one cell; overlaps alone are normal.</summary>
    public bool IsClean => UncoveredCells.Count == 0 && !Rules.Any(r => r.FullyShadowed);

    /// <summary>A plain-text report for a terminal or log.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.Append(inv, $"RFM segment rules: {Rules.Count} rules over {CellCount} cells; {CellCount - UncoveredCells.Count} covered, ")
            .Append(inv, $"{UncoveredCells.Count} uncovered, {Overlaps.Count} claimed by more than one rule.\n");

        text.Append(inv, $"Uncovered cells (customers fall to Others): {Codes(UncoveredCells)}\n");

        var shadowed = FullyShadowedRules;
        text.Append("Fully shadowed rules (never win a cell): ")
            .Append(shadowed.Count == 0 ? "none" : string.Join(", ", shadowed.Select(r => $"{r.Position + 1}. {r.Rule.Name}")))
            .Append('\n');

        text.Append("Cells won per rule:\n");
        foreach (var rule in Rules)
        {
            text.Append(inv, $"  {rule.Position + 1}. {rule.Rule.Name} ({rule.Rule.Slug}): wins {rule.CellsWon} of the {rule.CellsInBox} cells in its box\n");
        }

        text.Append("Overlaps (the earlier rule wins):");
        if (Overlaps.Count == 0)
        {
            text.Append(" none\n");
        }
        else
        {
            text.Append('\n');
            var pairs = Overlaps
                .SelectMany(o => o.Shadowed.Select(s => (Winner: o.Winner, Shadowed: s, o.Cell)))
                .GroupBy(p => (p.Winner, p.Shadowed))
                .OrderBy(g => Position(g.Key.Winner))
                .ThenBy(g => Position(g.Key.Shadowed));
            foreach (var pair in pairs)
            {
                var cells = pair.Select(p => p.Cell).ToArray();
                text.Append(inv, $"  {pair.Key.Winner.Name} over {pair.Key.Shadowed.Name}: {cells.Length} {(cells.Length == 1 ? "cell" : "cells")} ({Codes(cells)})\n");
            }
        }

        text.Append(IsClean ? "Clean.\n" : "Not clean.\n");
        return text.ToString();
    }

    private int Position(RfmSegmentRule rule)
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            if (ReferenceEquals(Rules[i].Rule, rule))
            {
                return i;
            }
        }

        return Rules.Count;
    }

    private static string Codes(IReadOnlyCollection<RfmScore> cells) =>
        cells.Count == 0 ? "none" : string.Join(", ", cells.Select(c => c.Code));
}

/// <summary>One rule's share of the 125 cells.</summary>
/// <param name="Position">The 0-based position of the rule in the table.</param>
/// <param name="CellsInBox">Cells the rule's ranges contain.</param>
/// <param name="CellsWon">Cells where it is the first matching rule, i.e. the cells it actually assigns.</param>
public sealed record RfmRuleCoverage(int Position, RfmSegmentRule Rule, int CellsInBox, int CellsWon)
{
    /// <summary>The rule never wins: every cell of its box is claimed by an earlier rule.</summary>
    public bool FullyShadowed => CellsWon == 0;
}

/// <summary>A cell contained by more than one rule.</summary>
/// <param name="Winner">The earliest rule containing the cell, which assigns it.</param>
/// <param name="Shadowed">The later rules that also contain it, in table order; they never see it.</param>
public sealed record RfmCellOverlap(RfmScore Cell, RfmSegmentRule Winner, IReadOnlyList<RfmSegmentRule> Shadowed);
