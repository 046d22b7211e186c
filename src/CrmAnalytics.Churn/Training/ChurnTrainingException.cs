namespace CrmAnalytics.Churn.Training;

/// <summary>The churn model cannot be trained on this data (too little history, one class only): exit code 5.</summary>
public sealed class ChurnTrainingException : Exception
{
    public ChurnTrainingException()
    {
    }

    public ChurnTrainingException(string message)
        : base(message)
    {
    }

    public ChurnTrainingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
