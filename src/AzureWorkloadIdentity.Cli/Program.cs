Console.Error.WriteLine("azwi: not yet composed");
return 1;
