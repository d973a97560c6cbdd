using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HealthAssist.DicomWeb;

/// <summary>Checks the data annotations on <see cref="DicomWebOptions"/> and the rules that span properties.</summary>
internal sealed class DicomWebOptionsValidator : IValidateOptions<DicomWebOptions>
{
    public ValidateOptionsResult Validate(string? name, DicomWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var failures = results.Select(r => $"DicomWeb: {r.ErrorMessage}").ToList();

        if (options.BaseAddress is { } address
            && (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
                || !string.IsNullOrEmpty(address.Query) || !string.IsNullOrEmpty(address.Fragment)))
        {
            failures.Add("DicomWeb: BaseAddress must be an absolute http or https address without query or fragment.");
        }

        if (options.AttemptTimeout > options.Timeout)
        {
            failures.Add("DicomWeb: AttemptTimeout must not be longer than Timeout.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
