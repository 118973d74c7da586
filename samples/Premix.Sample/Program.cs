Console.WriteLine("Premix sample: the shop walkthrough lands with the repositories (issue 3).");
