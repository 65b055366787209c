using Backprop.MpiTestApp;

// Usage: Backprop.MpiTestApp SCENARIO [ARGS…]; run under mpirun -np N by the tests (see Scenarios).
return Scenarios.Run(args);
