namespace CrmAnalytics.Core.Internals;

/// <summary>
/// Full collections where a phase of a job drops a large working set. The GC collects the large-object heap (every
/// customer-sized array) only with gen 2, so without these the dead arrays of a phase stayed resident while the next
/// phase faulted in new pages for its own. Each runs only where a phase ends, never per customer or per file. Public
/// for the churn training (Churn project) and the scoring job's stages.
/// </summary>
/// <remarks>
/// Until 2026-11-29 the churn stage ended its two phases with aggressive, compacting collections that gave the memory
/// back to the system (0.25–0.45 s each at 1.35M customers); they were replaced by <see cref="ForReuse"/> when the run's
/// peak was the churn evaluation's. Measured per stage since (summary.json's <c>peak_working_set_bytes_by_stage</c>),
/// the memory freed at the end of churn training was not reused: the CLV columns (one 173 MB array) took new pages on top
/// of it, and the clv and churn stages reached the run's peak. That collection gives the memory back again
/// (<see cref="ToSystem"/>).
/// </remarks>
public static class HeapRelease
{
    /// <summary>
    /// Frees the dead large arrays for the next phase to reuse, without compacting or decommitting: a full collection
    /// of about 0.1 s at 1.35M customers, cheaper than the page faults of fresh memory it saves.
    /// </summary>
    public static void ForReuse() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);

    /// <summary>
    /// Frees the dead arrays and gives their memory back to the system: a full, compacting collection that decommits
    /// the free regions. For the end of a phase whose garbage the next phase cannot reuse, because it allocates arrays
    /// larger than the holes the garbage leaves.
    /// </summary>
    public static void ToSystem() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
