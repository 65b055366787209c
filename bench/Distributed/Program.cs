using Backprop.Distributed;

// Usage (under mpirun -np N): Distributed allreduce [REPETITIONS, default 50] | step [STEPS, default 300] [noddp]
using var group = ProcessGroup.Initialize();
switch (args.FirstOrDefault())
{
    case "allreduce": AllReduceTiming.Run(group, args.Length > 1 ? int.Parse(args[1]) : 50); break;
    case "step": StepTiming.Run(group, args.Length > 1 ? int.Parse(args[1]) : 300, distributed: !args.Contains("noddp")); break;
    default: Console.Error.WriteLine("usage: Distributed allreduce [REPETITIONS] | step [STEPS] [noddp]"); return 2;
}
return 0;
