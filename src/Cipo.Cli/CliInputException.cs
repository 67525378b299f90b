namespace Cipo.Cli;

/// <summary>Bad input found while validating a command (exit code 2); the message is printed as is.</summary>
internal sealed class CliInputException(string message, Exception? innerException = null) : Exception(message, innerException);
