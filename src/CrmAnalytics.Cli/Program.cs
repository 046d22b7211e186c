namespace CrmAnalytics.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            return CrmCli.Run(args, Console.Out, Console.Error);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An unexpected failure: the type only, since messages can carry input values.
            Console.Error.WriteLine($"crm: internal error: {ex.GetType().FullName}. Nothing was published.");
            if (Environment.GetEnvironmentVariable("CRM_DEBUG") == "1")
            {
                Console.Error.WriteLine(ex.ToString());
            }
            return 1;
        }
    }
}
