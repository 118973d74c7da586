using Premix.Tests.Infrastructure;

namespace Premix.Tests.Replicas;

/// <summary>What the read-replica tests of both engines share: write-then-read pairs carrying the token as text, and a replica that is down.</summary>
internal static class ReplicaRouting
{
    // Each pair: commit a new row, carry the token as text into a fresh unit of work, read the row back, compare.
    public static async Task<int> WriteThenReadAsync(IPremix premix, int worker, int pairs)
    {
        var stale = 0;
        for (var i = 0; i < pairs; i++)
        {
            var written = new Customer { Name = "w" + worker, Visits = i };
            string token;
            await using (var writer = premix.BeginUnitOfWork())
            {
                writer.Repository<Customer>().Add(written);
                await writer.CommitAsync();
                token = writer.ReadYourWrites!.ToString();
            }

            await using var reader = premix.BeginUnitOfWork();
            reader.ReadAfter(ReadYourWritesToken.Parse(token));
            var read = await reader.Repository<Customer>().FindAsync(written.Id);
            if (read is null || read.Visits != i || read.Name != written.Name)
            {
                stale++;
            }
        }

        return stale;
    }

    /// <summary>A loopback port nothing listens on: a replica that is down.</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
