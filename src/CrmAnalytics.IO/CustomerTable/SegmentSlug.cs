using CrmAnalytics.Core;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.IO.CustomerTable;

/// <summary>
/// The rule for segment slugs, the only text segment file names are built from: <see cref="Slug.IsValid"/> (lowercase
/// ASCII letters and digits in groups joined by single hyphens, at most <see cref="MaxLength"/> characters) and not one
/// of <see cref="Slug.Reserved"/>. So a slug can never hold a path separator, "..", a space, an uppercase letter, a
/// device name, or the name of another file in <c>segments/</c>. Rule files are checked when they load
/// (<see cref="RfmSegmentRules"/>); the writers check again.
/// </summary>
internal static class SegmentSlug
{
    public const int MaxLength = Slug.MaxLength;

    public static bool IsValid(string? slug) => Slug.IsValid(slug) && !Slug.Reserved.Contains(slug!);

    /// <summary>Throws a <see cref="ConfigurationException"/> (segment rules come from configuration) unless <paramref name="slug"/> is valid.</summary>
    public static void Validate(string? slug)
    {
        if (!IsValid(slug))
        {
            throw new ConfigurationException(
                $"Segment slug '{slug}' is not valid: use lowercase letters and digits in groups joined by single hyphens " +
                $"(^[a-z0-9]+(-[a-z0-9]+)*$), at most {MaxLength} characters, not a reserved name ({string.Join(", ", Slug.Reserved.Order(StringComparer.Ordinal))}), e.g. 'cant-lose-them'.");
        }
    }
}
