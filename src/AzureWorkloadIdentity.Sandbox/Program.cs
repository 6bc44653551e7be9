Console.Error.WriteLine("sandbox: not yet composed");
return 1;
