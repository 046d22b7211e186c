namespace CrmAnalytics.Core.Customers;

/// <summary>Seed lifecycle stages, evaluated in this order: inactive, new, active, else occasional.</summary>
public enum LifecycleStage
{
    Inactive,
    New,
    Active,
    Occasional,
}
