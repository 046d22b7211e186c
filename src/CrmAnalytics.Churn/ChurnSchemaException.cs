namespace CrmAnalytics.Churn;

/// <summary>A churn model and this run's data do not fit together (exit code 3).</summary>
public sealed class ChurnSchemaException : Exception
{
    public ChurnSchemaException()
    {
    }

    public ChurnSchemaException(string message)
        : base(message)
    {
    }

    public ChurnSchemaException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
