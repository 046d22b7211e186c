using System.Globalization;
using System.Text;

namespace CrmAnalytics.Core.Rfm;

/// <summary>File-name-safe segment ids: lowercase ASCII letters and digits in runs joined by single hyphens.</summary>
/// <remarks>Segment files are named <c>segments/&lt;slug&gt;.csv</c>, never by raw segment text (DESIGN.md, "Outputs").</remarks>
public static class Slug
{
    /// <summary>Keeps <c>&lt;slug&gt;.csv</c> far below the 255-byte file name limit of common file systems.</summary>
    public const int MaxLength = 100;

    /// <summary>The slug of <c>segments/changes.csv</c>, the customers new or changed since the previous run.</summary>
    public const string Changes = "changes";

    /// <summary>The slug of <c>segments/churn-warning.csv</c>, the churn warning list.</summary>
    public const string ChurnWarning = "churn-warning";

    /// <summary>The warning list's earlier name; kept reserved so that a rule never reuses a file older outputs hold.</summary>
    private const string ChurnHighRisk = "churn-high-risk";

    /// <summary>
    /// Slugs no segment may use: the other files crm writes in <c>segments/</c>, and the names Windows reserves for devices
    /// (<c>con.csv</c> cannot be created there).
    /// </summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(
        [Changes, ChurnWarning, ChurnHighRisk, "con", "prn", "aux", "nul", .. Enumerable.Range(1, 9).SelectMany(i => new[] { $"com{i}", $"lpt{i}" })],
        StringComparer.Ordinal);

    /// <summary>Derives a slug from a display name.</summary>
    /// <param name="name">The display name, e.g. "Can't Lose Them".</param>
    /// <param name="position">The 1-based position of the segment, used only for the fallback <c>segment-N</c>.</param>
    /// <returns>E.g. "cant-lose-them"; <c>segment-N</c> when the name has no letter or digit.</returns>
    /// <remarks>
    /// Accents are removed first (Unicode decomposition, then combining marks dropped, so "Café" becomes "cafe").
    /// ASCII letters are lowercased and kept, as are ASCII digits; apostrophes (' ’ ʼ) are dropped so that "Can't"
    /// stays one word; every other run of characters becomes one '-'; leading and trailing '-' are trimmed.
    /// </remarks>
    public static string From(string name, int position)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);

        var decomposed = name.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingHyphen = false;
        foreach (var c in decomposed)
        {
            if (c is '\'' or '\u2019' or '\u02BC' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }

                pendingHyphen = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingHyphen = true;
            }
        }

        return builder.Length == 0 ? string.Create(CultureInfo.InvariantCulture, $"segment-{position}") : builder.ToString();
    }

    /// <summary>Whether <paramref name="slug"/> matches <c>^[a-z0-9]+(-[a-z0-9]+)*$</c> and has at most <see cref="MaxLength"/> characters.</summary>
    public static bool IsValid(string? slug)
    {
        if (string.IsNullOrEmpty(slug) || slug.Length > MaxLength || slug[0] == '-' || slug[^1] == '-')
        {
            return false;
        }

        for (var i = 0; i < slug.Length; i++)
        {
            var c = slug[i];
            if (c == '-')
            {
                if (slug[i - 1] == '-')
                {
                    return false;
                }
            }
            else if (!char.IsAsciiDigit(c) && !char.IsAsciiLetterLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
