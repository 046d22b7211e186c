namespace CrmAnalytics.IO.Report;

/// <summary>
/// One section of report.html: a small independent renderer over data that may be absent. A section whose data is
/// missing returns null and is left out of the page (never drawn empty). Adding a section (e.g. churn) is one new
/// class implementing this and one entry in <see cref="HtmlReport.DefaultSections"/>.
/// </summary>
public interface IReportSection
{
    /// <summary>The HTML id of the section (also its anchor in the table of contents).</summary>
    string Id { get; }

    string Title { get; }

    /// <summary>The section's inner HTML, or null when its data is absent.</summary>
    string? Render(ReportData data, HumanFormat format);
}
