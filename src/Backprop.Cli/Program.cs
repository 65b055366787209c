using Backprop.Cli;

return BackpropCommand.Run(args, Console.Out, Console.Error);
