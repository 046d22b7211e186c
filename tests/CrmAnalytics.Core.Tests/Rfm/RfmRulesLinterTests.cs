using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Tests.Rfm;

public sealed class RfmRulesLinterTests
{
    // The R rfm package table written out independently of RfmSegmentRules.Default:
    // { rMin, rMax, fMin, fMax, mMin, mMax } in priority order.
    private static readonly int[][] RfmPackageTable =
    [
        [5, 5, 5, 5, 5, 5], // Champions
        [3, 5, 3, 5, 2, 5], // Potential Loyalist
        [2, 4, 2, 4, 2, 4], // Loyal Customers
        [3, 4, 1, 3, 3, 5], // Promising
        [4, 5, 1, 3, 1, 5], // New Customers
        [1, 2, 3, 4, 4, 5], // Can't Lose Them
        [1, 2, 2, 5, 4, 5], // At Risk
        [1, 3, 3, 5, 3, 5], // Need Attention
        [2, 3, 1, 3, 1, 4], // About To Sleep
        [1, 1, 1, 5, 1, 5], // Lost
    ];

    private static readonly RfmLintResult DefaultLint = RfmRulesLinter.Lint(RfmSegmentRules.Default);

    private static string[] Codes(IEnumerable<RfmScore> cells) => cells.Select(c => c.Code).ToArray();

    [Test]
    public void Lint_DefaultTable_UncoveredCellsAreTheHandWorkedTen()
    {
        // By M score, for R ≥ 2 (R1 is all Lost):
        // M1: only New Customers (R4–5, F1–3) and About To Sleep (R2–3, F1–3) allow M1, both F ≤ 3,
        //     so F4–5 with M1 is uncovered for R2..5: 241 251 341 351 441 451 541 551 (8 cells).
        // M2: adds Potential Loyalist (R3–5, F3–5) and Loyal Customers (R2–4, F2–4). R2 F5 M2: PL needs R ≥ 3, Loyal F ≤ 4,
        //     ATS F ≤ 3 → 252 uncovered. R2 F4 M2 is Loyal; R3–5 F5 M2 is PL.
        // M3–M4: Need Attention (R1–3, F3–5, M3–5), At Risk / Can't Lose Them (R1–2, M4–5) and ATS/Loyal/Promising/New fill
        //     every remaining R2..5 cell (R2 F1: ATS M1–4; R2 F5: Need Attention).
        // M5: R2 F1 M5 → 215: Loyal needs F ≥ 2 and M ≤ 4, Promising/New R ≥ 3, CLT/At Risk/Need Attention F ≥ 2/3,
        //     ATS M ≤ 4 → uncovered. R2 F2+ M5 is At Risk; R3+ F1 M5 is Promising (R3–4) or New (R4–5).
        var expected = new[] { "215", "241", "251", "252", "341", "351", "441", "451", "541", "551" };

        Assert.That(Codes(DefaultLint.UncoveredCells), Is.EqualTo(expected));
    }

    [Test]
    public void Lint_DefaultTable_UncoveredCountMatchesBruteForce()
    {
        var uncovered = new List<string>();
        for (var r = 1; r <= 5; r++)
        {
            for (var f = 1; f <= 5; f++)
            {
                for (var m = 1; m <= 5; m++)
                {
                    var covered = false;
                    foreach (var b in RfmPackageTable)
                    {
                        if (r >= b[0] && r <= b[1] && f >= b[2] && f <= b[3] && m >= b[4] && m <= b[5])
                        {
                            covered = true;
                        }
                    }

                    if (!covered)
                    {
                        uncovered.Add($"{r}{f}{m}");
                    }
                }
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(DefaultLint.UncoveredCells, Has.Count.EqualTo(uncovered.Count));
            Assert.That(Codes(DefaultLint.UncoveredCells), Is.EqualTo(uncovered));
        }
    }

    [Test]
    public void Lint_DefaultTable_CellsWonMatchBruteForce()
    {
        var won = new int[RfmPackageTable.Length];
        for (var r = 1; r <= 5; r++)
        {
            for (var f = 1; f <= 5; f++)
            {
                for (var m = 1; m <= 5; m++)
                {
                    for (var i = 0; i < RfmPackageTable.Length; i++)
                    {
                        var b = RfmPackageTable[i];
                        if (r >= b[0] && r <= b[1] && f >= b[2] && f <= b[3] && m >= b[4] && m <= b[5])
                        {
                            won[i]++;
                            break;
                        }
                    }
                }
            }
        }

        Assert.That(DefaultLint.Rules.Select(r => r.CellsWon), Is.EqualTo(won));
    }

    [Test]
    public void Lint_DefaultTable_HandWorkedRuleCounts()
    {
        // Champions: box is the single cell 555 → wins 1.
        // Lost: box R1 × 25 cells; earlier rules take Can't Lose Them's R1 F3–4 M4–5 (4 cells), At Risk's remaining
        // R1 F2,5 M4–5 (4: 124 125 154 155), Need Attention's remaining R1 F3–5 M3 (3: 133 143 153) → 25 − 11 = 14.
        // Potential Loyalist: box 3 × 3 × 4 = 36 cells, minus 555 (Champions) → 35.
        var byName = DefaultLint.Rules.ToDictionary(r => r.Rule.Name);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((byName["Champions"].CellsInBox, byName["Champions"].CellsWon), Is.EqualTo((1, 1)));
            Assert.That((byName["Lost"].CellsInBox, byName["Lost"].CellsWon), Is.EqualTo((25, 14)));
            Assert.That((byName["Potential Loyalist"].CellsInBox, byName["Potential Loyalist"].CellsWon), Is.EqualTo((36, 35)));
            Assert.That(DefaultLint.Rules.Sum(r => r.CellsWon) + DefaultLint.UncoveredCells.Count, Is.EqualTo(125));
        }
    }

    [Test]
    public void Lint_DefaultTable_NoRuleFullyShadowedButNotClean()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DefaultLint.FullyShadowedRules, Is.Empty);
            Assert.That(DefaultLint.IsClean, Is.False);
        }
    }

    [Test]
    public void Lint_DefaultTable_Cell555OverlapChampionsWins()
    {
        // 555 is in Champions (5,5,5) and Potential Loyalist (R3–5 F3–5 M2–5) only: Loyal and Promising stop at R4,
        // New Customers at F3, every later rule at R ≤ 3.
        var overlap = DefaultLint.Overlaps.Single(o => o.Cell.Code == "555");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(overlap.Winner.Slug, Is.EqualTo("champions"));
            Assert.That(overlap.Shadowed.Select(s => s.Slug), Is.EqualTo(new[] { "potential-loyalist" }));
        }
    }

    [Test]
    public void Lint_DefaultTable_Cell134ShadowsThreeRules()
    {
        // 134 (R1 F3 M4) is in Can't Lose Them (R1–2 F3–4 M4–5), At Risk (R1–2 F2–5 M4–5), Need Attention (R1–3 F3–5 M3–5)
        // and Lost (R1); Can't Lose Them comes first.
        var overlap = DefaultLint.Overlaps.Single(o => o.Cell.Code == "134");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(overlap.Winner.Slug, Is.EqualTo("cant-lose-them"));
            Assert.That(overlap.Shadowed.Select(s => s.Slug), Is.EqualTo(new[] { "at-risk", "need-attention", "lost" }));
        }
    }

    [Test]
    public void Lint_RuleBehindCatchAll_FullyShadowed()
    {
        // "All" contains all 125 cells, so "Recent" (R5, 25 cells) never wins; nothing is uncovered.
        var rules = new RfmSegmentRules(
        [
            new RfmSegmentRule("All", "all", 1, 5, 1, 5, 1, 5),
            new RfmSegmentRule("Recent", "recent", 5, 5, 1, 5, 1, 5),
        ]);

        var lint = RfmRulesLinter.Lint(rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lint.UncoveredCells, Is.Empty);
            Assert.That(lint.FullyShadowedRules.Select(r => r.Rule.Slug), Is.EqualTo(new[] { "recent" }));
            Assert.That(lint.Overlaps, Has.Count.EqualTo(25));
            Assert.That(lint.IsClean, Is.False);
            Assert.That(lint.ToText(), Does.Contain("Fully shadowed rules (never win a cell): 2. Recent"));
        }
    }

    [Test]
    public void Lint_Partition_Clean()
    {
        // R1–2 (2 × 25 = 50 cells) and R3–5 (75 cells): every cell covered exactly once.
        var rules = new RfmSegmentRules(
        [
            new RfmSegmentRule("Old", "old", 1, 2, 1, 5, 1, 5),
            new RfmSegmentRule("Recent", "recent", 3, 5, 1, 5, 1, 5),
        ]);

        var lint = RfmRulesLinter.Lint(rules);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lint.IsClean, Is.True);
            Assert.That(lint.Overlaps, Is.Empty);
            Assert.That(lint.Rules.Select(r => r.CellsWon), Is.EqualTo(new[] { 50, 75 }));
            Assert.That(lint.ToText(), Does.EndWith("Clean.\n"));
        }
    }

    [Test]
    public void ToText_DefaultTable_ListsCodesAndOverlapPairs()
    {
        var text = DefaultLint.ToText();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("115 covered, 10 uncovered"));
            Assert.That(text, Does.Contain("Uncovered cells (customers fall to Others): 215, 241, 251, 252, 341, 351, 441, 451, 541, 551"));
            Assert.That(text, Does.Contain("1. Champions (champions): wins 1 of the 1 cells in its box"));
            Assert.That(text, Does.Contain("Champions over Potential Loyalist: 1 cell (555)"));
            Assert.That(text, Does.EndWith("Not clean.\n"));
        }
    }
}
