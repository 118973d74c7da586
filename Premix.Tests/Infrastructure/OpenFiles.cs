namespace Premix.Tests.Infrastructure;

/// <summary>
/// The operating system's view of the files this process holds open. A SQLite connection is an open file, so once its
/// pool is emptied, a file descriptor still pointing at the database is a connection nobody gave back.
/// </summary>
internal static class OpenFiles
{
    /// <summary>How many of this process's file descriptors point at <paramref name="path"/> or its <c>-journal</c>, <c>-wal</c> and <c>-shm</c> files.</summary>
    public static int Count(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Fail("Counting a process's open files reads /proc/self/fd, which only Linux has: run the tests on Linux, as CI does.");
        }

        var full = Path.GetFullPath(path);
        var count = 0;
        foreach (var descriptor in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(descriptor).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed since it was listed
            }

            if (target?.StartsWith(full, StringComparison.Ordinal) == true)
            {
                count++;
            }
        }

        return count;
    }
}
