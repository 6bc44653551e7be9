using System.CommandLine;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;
using AzureWorkloadIdentity.Cli.Output;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.ServiceAccount;

/// <summary>The create and delete commands are built from what each phase declares about itself.</summary>
public sealed class ServiceAccountWorkflowTests
{
    public static TheoryData<string> Workflows() => ["create", "delete"];

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Build_EachPhaseSubcommand_HasTheNameAliasesDescriptionAndFlagsThePhaseDeclares(string workflow)
    {
        var phaseCommand = Workflow(workflow).Subcommands.Single(c => c.Name == "phase");

        Assert.Equal(Phases(workflow).Select(p => p.Info.Name), phaseCommand.Subcommands.Select(c => c.Name));
        foreach (var phase in Phases(workflow))
        {
            var command = phaseCommand.Subcommands.Single(c => c.Name == phase.Info.Name);
            Assert.Equal(phase.Info.Aliases, command.Aliases);
            Assert.Equal(phase.Info.Description, command.Description);
            Assert.Equal(FlagNames([phase]), command.Options.Select(o => o.Name).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Build_WholeCommand_OffersEveryPhaseFlagPlusSkipPhasesAndListsThePhases(string workflow)
    {
        var command = Workflow(workflow);

        var expected = FlagNames(Phases(workflow)).Append("--skip-phases").Order(StringComparer.Ordinal);
        Assert.Equal(expected, command.Options.Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.EndsWith(PhaseRunner.Describe(workflow, [.. Phases(workflow).Select(p => p.Info)]), command.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PhaseReadsFlagMissingFromHelpOrder_ThrowsNamingTheFlag()
    {
        var services = new CliServices(new CliConsole(TextWriter.Null, TextWriter.Null), TimeProvider.System);
        PhaseDefinition phase = new(new PhaseInfo("only", ["o"], "reads --location"), f => [f.Location], _ => throw new InvalidOperationException());

        var error = Assert.Throws<InvalidOperationException>(() => ServiceAccountWorkflow.Build(
            "create", "summary", services, new Option<bool>("--debug"), new AuthenticationFlags(), [phase], f => [f.Name], autoSkip: null));

        Assert.Contains("--location", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, typeof(AadApplicationPhase), typeof(AadApplicationDeletePhase))]
    [InlineData("workload-uami", typeof(UserAssignedIdentityPhase), typeof(UserAssignedIdentityDeletePhase))]
    public void Create_AadApplicationStep_UserAssignedIdentityGetsItsOwnPhaseUnderTheSameName(string? identity, Type createType, Type deleteType)
    {
        using var run = Run(new ServiceAccountInputs { UserAssignedIdentityName = identity, ResourceGroup = "rg" });

        var create = AadApplicationPhase.Definition.Create(run);
        var delete = AadApplicationDeletePhase.Definition.Create(run);

        Assert.IsType(createType, create);
        Assert.IsType(deleteType, delete);
        Assert.Equal("aad-application", create.Info.Name);
        Assert.Equal("aad-application", delete.Info.Name);
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Create_EveryPhase_InstanceReportsItsDefinitionsInfo(string workflow)
    {
        using var run = Run(new ServiceAccountInputs());

        Assert.All(Phases(workflow), phase => Assert.Same(phase.Info, phase.Create(run).Info));
    }

    private static IReadOnlyList<PhaseDefinition> Phases(string workflow) =>
        workflow == "create" ? CreateCommand.Phases : DeleteCommand.Phases;

    private static IEnumerable<string> FlagNames(IEnumerable<PhaseDefinition> phases)
    {
        var flags = new ServiceAccountFlags();
        return phases.SelectMany(p => p.Flags(flags)).Select(o => o.Name).Distinct().Order(StringComparer.Ordinal);
    }

    private static Command Workflow(string workflow)
    {
        var root = CliApplication.BuildRootCommand(new CliServices(new CliConsole(TextWriter.Null, TextWriter.Null), TimeProvider.System));
        return root.Subcommands.Single(c => c.Name == "serviceaccount").Subcommands.Single(c => c.Name == workflow);
    }

    private static ServiceAccountRun Run(ServiceAccountInputs inputs) =>
        new(new CliServices(new CliConsole(TextWriter.Null, TextWriter.Null), TimeProvider.System),
            new CliLog(TextWriter.Null, debug: false, TimeProvider.System), inputs,
            _ => throw new InvalidOperationException("no connection in this test"));
}
