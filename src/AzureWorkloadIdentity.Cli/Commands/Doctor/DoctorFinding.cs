namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// One line of <c>azwi doctor</c>: the check's stable code (see <see cref="DoctorCodes"/>), its status, what was
/// found, the fix (empty when passed) and optional detail lines (e.g. two strings with their difference marked).
/// </summary>
internal sealed record DoctorFinding(string Code, DoctorStatus Status, string Found, string Fix, IReadOnlyList<string> Details)
{
    public static DoctorFinding Pass(string code, string found) => new(code, DoctorStatus.Passed, found, string.Empty, []);

    public static DoctorFinding Warn(string code, string found, string fix) => new(code, DoctorStatus.Warning, found, fix, []);

    public static DoctorFinding Fail(string code, string found, string fix, params IReadOnlyList<string> details) =>
        new(code, DoctorStatus.Failed, found, fix, details);
}
