[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Scheduler.Grains.Tests")]
