namespace CrmAnalytics.Core.Rfm;

/// <summary>
/// One row of the ordered segment rule table of the R <c>rfm</c> package: a named box of R, F and M score ranges
/// (inclusive). The first rule whose box contains a customer's scores names the segment.
/// </summary>
/// <param name="Name">Display name, e.g. "Can't Lose Them".</param>
/// <param name="Slug">File-name-safe id (<c>[a-z0-9-]+</c>), e.g. "cant-lose-them"; segment files are named by it.</param>
public sealed record RfmSegmentRule(string Name, string Slug, int RMin, int RMax, int FMin, int FMax, int MMin, int MMax)
{
    public bool Contains(RfmScore s) =>
        s.R >= RMin && s.R <= RMax && s.F >= FMin && s.F <= FMax && s.M >= MMin && s.M <= MMax;
}
