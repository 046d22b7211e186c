using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Tests.Rfm;

public sealed class RfmSegmentRulesTests
{
    private static RfmScore Cell(string code) => new(code[0] - '0', code[1] - '0', code[2] - '0');

    [Test]
    public void Default_Rules_AreTheRfmPackageTableInOrder()
    {
        var expected = new[]
        {
            "Champions|champions|5-5|5-5|5-5",
            "Potential Loyalist|potential-loyalist|3-5|3-5|2-5",
            "Loyal Customers|loyal-customers|2-4|2-4|2-4",
            "Promising|promising|3-4|1-3|3-5",
            "New Customers|new-customers|4-5|1-3|1-5",
            "Can't Lose Them|cant-lose-them|1-2|3-4|4-5",
            "At Risk|at-risk|1-2|2-5|4-5",
            "Need Attention|need-attention|1-3|3-5|3-5",
            "About To Sleep|about-to-sleep|2-3|1-3|1-4",
            "Lost|lost|1-1|1-5|1-5",
        };

        var actual = RfmSegmentRules.Default.Rules
            .Select(r => $"{r.Name}|{r.Slug}|{r.RMin}-{r.RMax}|{r.FMin}-{r.FMax}|{r.MMin}-{r.MMax}");

        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void Default_Others_IsNamedOthersWithSlugOthers()
    {
        var others = RfmSegmentRules.Default.Others;

        Assert.That((others.Name, others.Slug), Is.EqualTo(("Others", "others")));
    }

    // 555: Champions is first and contains it (Potential Loyalist also does, but comes later).
    // 554: Champions needs M5 ✗; Potential Loyalist R3–5 F5∈3–5 M4∈2–5 ✓.
    // 422: Champions ✗, Potential Loyalist needs F3+ ✗, Loyal Customers R2–4 F2–4 M2–4 ✓ (New Customers also contains it, later).
    // 413: Champions/Potential Loyalist need F≥3 ✗, Loyal needs F≥2 ✗, Promising R3–4 F1–3 M3–5 ✓.
    // 511: Champions ✗, PL F ✗, Loyal R ✗, Promising R ✗, New Customers R4–5 F1–3 M1–5 ✓.
    // 134: R1 excludes the first five; Can't Lose Them R1–2 F3–4 M4–5 ✓ (At Risk, Need Attention, Lost also contain it).
    // 154: Can't Lose Them needs F3–4 ✗; At Risk R1–2 F2–5 M4–5 ✓.
    // 133: CLT and At Risk need M4–5 ✗; Need Attention R1–3 F3–5 M3–5 ✓.
    // 213: F1 excludes PL, Loyal, CLT, At Risk, Need Attention; R2 excludes Promising, New; About To Sleep R2–3 F1–3 M1–4 ✓.
    // 111: only Lost (R1) ✓.
    // 215: as 213, but About To Sleep needs M ≤ 4 and Lost needs R1 → no rule, Others.
    [TestCase("555", "champions")]
    [TestCase("554", "potential-loyalist")]
    [TestCase("422", "loyal-customers")]
    [TestCase("413", "promising")]
    [TestCase("511", "new-customers")]
    [TestCase("134", "cant-lose-them")]
    [TestCase("154", "at-risk")]
    [TestCase("133", "need-attention")]
    [TestCase("213", "about-to-sleep")]
    [TestCase("111", "lost")]
    [TestCase("215", "others")]
    public void Assign_DefaultTable_FirstMatchWins(string code, string expectedSlug)
    {
        Assert.That(RfmSegmentRules.Default.Assign(Cell(code)).Slug, Is.EqualTo(expectedSlug));
    }

    [Test]
    public void Assign_NoRuleMatches_ReturnsTheOthersInstance()
    {
        var rules = RfmSegmentRules.Default;

        Assert.That(rules.Assign(Cell("215")), Is.SameAs(rules.Others));
    }

    [TestCase(0, 1, 1)]
    [TestCase(1, 6, 1)]
    [TestCase(1, 1, -1)]
    public void Assign_ScoreOutside1To5_Throws(int r, int f, int m)
    {
        Assert.That(() => RfmSegmentRules.Default.Assign(new RfmScore(r, f, m)), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Assign_OverlappingCustomRules_EarlierRuleWins()
    {
        var rules = new RfmSegmentRules(
        [
            new RfmSegmentRule("Recent", "recent", 4, 5, 1, 5, 1, 5),
            new RfmSegmentRule("Big", "big", 1, 5, 1, 5, 5, 5),
        ]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rules.Assign(Cell("555")).Slug, Is.EqualTo("recent"));
            Assert.That(rules.Assign(Cell("315")).Slug, Is.EqualTo("big"));
            Assert.That(rules.Assign(Cell("314")).Slug, Is.EqualTo("others"));
        }
    }

    [Test]
    public void ToJson_Default_ParsesBackToTheSameTable()
    {
        var json = RfmSegmentRules.Default.ToJson();

        var parsed = RfmSegmentRules.Parse(json, "default.json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed.Rules, Is.EqualTo(RfmSegmentRules.Default.Rules));
            Assert.That(json, Does.Contain("\"name\": \"Can't Lose Them\""));
        }
    }

    [Test]
    public void Parse_SlugOmitted_DerivedFromName()
    {
        const string json = """
            {
              // comments are allowed
              "segments": [
                { "name": "Big Spenders!", "r": [1, 5], "f": [1, 5], "m": [5, 5] },
                { "name": "Rest", "slug": "everyone-else", "r": [1, 5], "f": [1, 5], "m": [1, 4] }
              ]
            }
            """;

        var rules = RfmSegmentRules.Parse(json, "custom.json");

        Assert.That(rules.Rules, Is.EqualTo(new[]
        {
            new RfmSegmentRule("Big Spenders!", "big-spenders", 1, 5, 1, 5, 5, 5),
            new RfmSegmentRule("Rest", "everyone-else", 1, 5, 1, 5, 1, 4),
        }));
    }

    [Test]
    public void Parse_ManyProblems_ReportsEveryOneWithFileAndSegmentIndex()
    {
        const string json = """
            {"segments": [
              {"name": "A", "r": [0, 5], "f": [1, 5], "m": [1, 5]},
              {"name": "B", "r": [1, 5], "f": [4, 2], "m": [1, 5]},
              {"name": "C", "slug": "others", "r": [1, 5], "f": [1, 5], "m": [1, 5]},
              {"name": "a", "slug": "a-again", "r": [1, 5], "f": [1, 5], "m": [1, 5]},
              {"name": "D", "r": [1, 5], "f": [1, 5], "m": [1, 5], "colour": "red"},
              {"name": "E", "slug": "Bad Slug", "r": [1, 5], "f": [1, 5], "m": [1, 5]},
              {"name": "F!", "r": [1, 5], "f": [1, 5], "m": [1, 5]},
              {"name": "G", "r": [1, 5], "f": [1, 5]}
            ]}
            """;

        // One error each on segments 0–5 and 7 = 7 errors; segments[6] "F!" derives the unique slug "f" and is valid.
        var ex = Assert.Throws<ConfigurationException>(() => RfmSegmentRules.Parse(json, "rules.json"))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Message, Does.Contain("'rules.json'"));
            Assert.That(ex.Message, Does.Contain("(7 errors)"));
            Assert.That(ex.Message, Does.Contain("segments[0] \"A\": r range [0, 5] is outside 1–5"));
            Assert.That(ex.Message, Does.Contain("segments[1] \"B\": f range [4, 2] has min > max"));
            Assert.That(ex.Message, Does.Contain("segments[2] \"C\": slug \"others\" is reserved"));
            Assert.That(ex.Message, Does.Contain("segments[3] \"a\": the name duplicates segments[0]"));
            Assert.That(ex.Message, Does.Contain("segments[4]: unknown property \"colour\""));
            Assert.That(ex.Message, Does.Contain("segments[5] \"E\": slug \"Bad Slug\" must match"));
            Assert.That(ex.Message, Does.Not.Contain("segments[6]"));
            Assert.That(ex.Message, Does.Contain("segments[7]: property \"m\" is missing"));
            Assert.That(ex.ExitCode, Is.EqualTo(2));
        }
    }

    [Test]
    public void Parse_SegmentMissingAProperty_StillReportsItsOtherProblems()
    {
        // segments[0] lacks "m" and also has r outside 1–5 and f with min > max: all three are reported.
        const string json = """{"segments":[{"name":"A","r":[0,5],"f":[3,1]}]}""";

        var ex = Assert.Throws<ConfigurationException>(() => RfmSegmentRules.Parse(json, "x.json"))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Message, Does.Contain("(3 errors)"));
            Assert.That(ex.Message, Does.Contain("segments[0]: property \"m\" is missing"));
            Assert.That(ex.Message, Does.Contain("segments[0] \"A\": r range [0, 5] is outside 1–5"));
            Assert.That(ex.Message, Does.Contain("segments[0] \"A\": f range [3, 1] has min > max"));
        }
    }

    [Test]
    public void Parse_DerivedSlugsCollide_ReportsDuplicateSlug()
    {
        // "VIP!" and "vip" are different names (compared ignoring case they are still "vip!" vs "vip"), but both derive "vip".
        const string json = """{"segments":[{"name":"VIP!","r":[5,5],"f":[1,5],"m":[1,5]},{"name":"vip","r":[4,4],"f":[1,5],"m":[1,5]}]}""";

        var ex = Assert.Throws<ConfigurationException>(() => RfmSegmentRules.Parse(json, "x.json"))!;

        Assert.That(ex.Message, Does.Contain("segments[1] \"vip\": slug \"vip\" (derived from the name) duplicates segments[0]"));
    }

    [TestCase("changes")]
    [TestCase("churn-high-risk")]
    [TestCase("con")]
    [TestCase("lpt9")]
    public void Parse_ReservedSlug_ReportsItWithTheSegmentIndex(string slug)
    {
        var json = $$"""{"segments":[{"name":"A","r":[5,5],"f":[1,5],"m":[1,5]},{"name":"B","slug":"{{slug}}","r":[1,4],"f":[1,5],"m":[1,5]}]}""";

        var ex = Assert.Throws<ConfigurationException>(() => RfmSegmentRules.Parse(json, "x.json"))!;

        Assert.That(ex.Message, Does.Contain($"segments[1] \"B\": slug \"{slug}\" is reserved"));
    }

    [Test]
    public void Parse_NameDerivingAReservedSlug_Reported()
    {
        const string json = """{"segments":[{"name":"Changes","r":[1,5],"f":[1,5],"m":[1,5]}]}""";

        Assert.That(() => RfmSegmentRules.Parse(json, "x.json"),
            Throws.InstanceOf<ConfigurationException>().With.Message.Contains("slug \"changes\" (derived from the name) is reserved"));
    }

    [Test]
    public void Parse_SlugOverTheLengthLimit_Reported()
    {
        var json = $$"""{"segments":[{"name":"A","slug":"{{new string('a', Slug.MaxLength + 1)}}","r":[1,5],"f":[1,5],"m":[1,5]}]}""";

        Assert.That(() => RfmSegmentRules.Parse(json, "x.json"),
            Throws.InstanceOf<ConfigurationException>().With.Message.Contains($"slug has {Slug.MaxLength + 1} characters, more than {Slug.MaxLength}"));
    }

    [Test]
    public void Parse_SlugAtTheLengthLimit_Accepted()
    {
        var slug = new string('a', Slug.MaxLength);
        var json = $$"""{"segments":[{"name":"A","slug":"{{slug}}","r":[1,5],"f":[1,5],"m":[1,5]}]}""";

        Assert.That(RfmSegmentRules.Parse(json, "x.json").Rules[0].Slug, Is.EqualTo(slug));
    }

    [Test]
    public void Parse_NameOthers_Reserved()
    {
        const string json = """{"segments":[{"name":"others","slug":"rest","r":[1,5],"f":[1,5],"m":[1,5]}]}""";

        Assert.That(() => RfmSegmentRules.Parse(json, "x.json"),
            Throws.InstanceOf<ConfigurationException>().With.Message.Contains("the name \"Others\" is reserved"));
    }

    [TestCase("""{"segments": []}""", "the segment list is empty")]
    [TestCase("""{}""", "property \"segments\" is missing")]
    [TestCase("""[]""", "the root must be an object")]
    [TestCase("""{"segments": {}}""", "\"segments\" must be an array")]
    [TestCase("""{"segments": [], "version": 2}""", "unknown property \"version\" at the root")]
    [TestCase("""{"segments": [{"name": "A", "r": [1, 5.5], "f": [1, 5], "m": [1, 5]}]}""", "\"r\" must be an array of two integers")]
    [TestCase("""{"segments": [{"name": "A", "r": [1, 2, 3], "f": [1, 5], "m": [1, 5]}]}""", "\"r\" must be an array of two integers")]
    [TestCase("""{"segments": [{"name": 7, "r": [1, 5], "f": [1, 5], "m": [1, 5]}]}""", "\"name\" must be a string")]
    [TestCase("""{"segments": [{"name": " ", "slug": "blank", "r": [1, 5], "f": [1, 5], "m": [1, 5]}]}""", "the name is empty")]
    [TestCase("""{"segments": [{"name": "A", "name": "B", "r": [1, 5], "f": [1, 5], "m": [1, 5]}]}""", "property \"name\" appears more than once")]
    [TestCase("""{"segments": [3]}""", "segments[0]: must be an object")]
    public void Parse_InvalidStructure_ThrowsConfiguration(string json, string expected)
    {
        Assert.That(() => RfmSegmentRules.Parse(json, "bad.json"),
            Throws.InstanceOf<ConfigurationException>().With.Message.Contains(expected).And.Message.Contains("'bad.json'"));
    }

    [Test]
    public void Parse_MalformedJson_ReportsLineAndPosition()
    {
        // Line 3 is `    {"name": }`: 4 spaces, '{' at 5, "name" at 6–11, ':' at 12, space at 13, so the unexpected '}' is at 14.
        const string json = "{\n  \"segments\": [\n    {\"name\": }\n  ]\n}";

        var ex = Assert.Throws<ConfigurationException>(() => RfmSegmentRules.Parse(json, "broken.json"))!;

        Assert.That(ex.Message, Does.StartWith("Segment rules 'broken.json' are not valid JSON at line 3, position 14:"));
    }

    [Test]
    public void Constructor_EmptyList_Throws()
    {
        Assert.That(() => new RfmSegmentRules([]),
            Throws.InstanceOf<ConfigurationException>().With.Message.Contains("the segment list is empty"));
    }

    [Test]
    public void Constructor_InvalidRules_ReportsAllTogether()
    {
        // Two errors on [0] (r 6 outside, m min > max) and one on [1] (slug duplicates [0]).
        var ex = Assert.Throws<ConfigurationException>(() => new RfmSegmentRules(
        [
            new RfmSegmentRule("A", "a", 1, 6, 1, 5, 3, 2),
            new RfmSegmentRule("B", "a", 1, 5, 1, 5, 1, 5),
        ]))!;

        Assert.That(ex.Message, Does.Contain("(3 errors)"));
    }

    [Test]
    public void Load_File_ReadsIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rfm-rules-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """{"segments":[{"name":"All","r":[1,5],"f":[1,5],"m":[1,5]}]}""");

            var rules = RfmSegmentRules.Load(path);

            Assert.That(rules.Rules.Select(r => r.Slug), Is.EqualTo(new[] { "all" }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Load_MissingFile_ThrowsConfigurationNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");

        Assert.That(() => RfmSegmentRules.Load(path),
            Throws.InstanceOf<ConfigurationException>().With.Message.Contains(path));
    }
}
