using Cipo.Teacher;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cipo.Tests.Configuration;

public sealed class CipoOptionsTests
{
    [Fact]
    public void Defaults_are_pinned()
    {
        var options = new CipoOptions();

        CipoOptions.SectionName.Should().Be("Cipo");
        options.MaxRounds.Should().Be(5);
        options.MinRounds.Should().Be(0);
        options.LeakageThreshold.Should().Be(0.0);
        options.Seed.Should().Be(0);
        options.KeepOriginalLeaks.Should().BeTrue();
        options.RegenerateCounterfactualsEachRound.Should().BeFalse();
        options.SaveModelEachRound.Should().BeTrue();
    }

    [Fact]
    public void Teacher_defaults_are_pinned()
    {
        var options = new ChatClientGeneratorOptions();

        ChatClientGeneratorOptions.SectionName.Should().Be("Cipo:Teacher");
        options.MaxAttempts.Should().Be(3);
        options.MaxConcurrency.Should().Be(4);
        options.Strategy.Should().Be("knowledge-boundary");
        options.SystemPrompt.Should().Be(ChatClientGeneratorOptions.DefaultSystemPrompt);
        options.ModelId.Should().BeNull();
        options.Temperature.Should().Be(0.7f);
        options.MaxOutputTokens.Should().Be(1024);
        options.TemplateAnswer.Should().Be("I cannot determine that from what I know.");
        options.TemplateReasoning.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Defaults_are_valid() => Failures(_ => { }).Should().BeEmpty();

    [Theory]
    [InlineData(0, "DataAnnotation validation failed for 'CipoOptions' members: 'MaxRounds' with the error: 'The field MaxRounds must be between 1 and 1000.'.")]
    [InlineData(1001, "DataAnnotation validation failed for 'CipoOptions' members: 'MaxRounds' with the error: 'The field MaxRounds must be between 1 and 1000.'.")]
    public void MaxRounds_out_of_range(int value, string message) =>
        Failures(o => o.MaxRounds = value).Should().Equal(message);

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void LeakageThreshold_out_of_range(double value) =>
        Failures(o => o.LeakageThreshold = value).Should().Equal(
            "DataAnnotation validation failed for 'CipoOptions' members: 'LeakageThreshold' with the error: 'The field LeakageThreshold must be between 0 and 1.'.");

    [Fact]
    public void MinRounds_out_of_range() =>
        Failures(o => { o.MinRounds = -1; }).Should().Equal(
            "DataAnnotation validation failed for 'CipoOptions' members: 'MinRounds' with the error: 'The field MinRounds must be between 0 and 1000.'.");

    [Fact]
    public void MinRounds_above_MaxRounds() =>
        Failures(o => { o.MinRounds = 6; }).Should().Equal("CipoOptions.MinRounds (6) must not exceed CipoOptions.MaxRounds (5).");

    [Fact]
    public void Options_are_validated_on_start()
    {
        var services = new ServiceCollection();
        services.AddCipoCore(o => o.MaxRounds = 0);
        using ServiceProvider provider = services.BuildServiceProvider();

        Action start = () => provider.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().Which.OptionsType.Should().Be<CipoOptions>();
    }

    [Fact]
    public void Teacher_defaults_are_valid() => TeacherFailures(_ => { }).Should().BeEmpty();

    [Fact]
    public void Teacher_MaxAttempts_out_of_range() =>
        TeacherFailures(o => o.MaxAttempts = 0).Should().Equal(
            "DataAnnotation validation failed for 'ChatClientGeneratorOptions' members: 'MaxAttempts' with the error: 'The field MaxAttempts must be between 1 and 20.'.");

    [Fact]
    public void Teacher_MaxConcurrency_out_of_range() =>
        TeacherFailures(o => o.MaxConcurrency = 1025).Should().Equal(
            "DataAnnotation validation failed for 'ChatClientGeneratorOptions' members: 'MaxConcurrency' with the error: 'The field MaxConcurrency must be between 1 and 1024.'.");

    [Fact]
    public void Teacher_Temperature_out_of_range() =>
        TeacherFailures(o => o.Temperature = 3).Should().Equal(
            "DataAnnotation validation failed for 'ChatClientGeneratorOptions' members: 'Temperature' with the error: 'The field Temperature must be between 0 and 2.'.");

    [Fact]
    public void Teacher_MaxOutputTokens_out_of_range() =>
        TeacherFailures(o => o.MaxOutputTokens = 8).Should().Equal(
            "DataAnnotation validation failed for 'ChatClientGeneratorOptions' members: 'MaxOutputTokens' with the error: 'The field MaxOutputTokens must be between 16 and 32768.'.");

    [Fact]
    public void Teacher_unknown_strategy() =>
        TeacherFailures(o => o.Strategy = "template").Should().Equal(
            "ChatClientGeneratorOptions.Strategy must be 'knowledge-boundary' or 'alternative-path' (was 'template').");

    [Fact]
    public void Teacher_empty_system_prompt() =>
        TeacherFailures(o => o.SystemPrompt = "").Should().Equal(
            "DataAnnotation validation failed for 'ChatClientGeneratorOptions' members: 'SystemPrompt' with the error: 'The SystemPrompt field is required.'.");

    [Fact]
    public void Teacher_blank_template_answer() =>
        TeacherFailures(o => o.TemplateAnswer = "   ").Should().Equal(
            "DataAnnotation validation failed for 'ChatClientGeneratorOptions' members: 'TemplateAnswer' with the error: 'The TemplateAnswer field is required.'.");

    private static IEnumerable<string> Failures(Action<CipoOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddCipoCore(configure);
        using ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<CipoOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures;
        }
    }

    private static IEnumerable<string> TeacherFailures(Action<ChatClientGeneratorOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddCipoCore().UseChatClientCounterfactualGenerator(configure);
        using ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<ChatClientGeneratorOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures;
        }
    }
}
