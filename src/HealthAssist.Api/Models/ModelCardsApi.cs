namespace HealthAssist.Api.Models;

/// <summary>
/// <c>GET /models/{name}/{version}/card.md</c>: the model card of a registered model, public like the model's own
/// documentation, so CDS Hooks cards can link their <c>source</c> to it. Only models in the registry are served.
/// </summary>
public static class ModelCardsApi
{
    public static void MapModelCardsApi(this WebApplication app) =>
        app.MapGet("/models/{name}/{version}/card.md", (string name, string version, ModelServing serving) =>
        {
            var model = serving.Registry().Models.FirstOrDefault(m => m.Manifest.Name == name && m.Manifest.Version == version);
            var card = model is null ? null : Path.Combine(model.Folder, "card.md");
            return card is not null && File.Exists(card)
                ? Results.File(card, "text/markdown; charset=utf-8")
                : Results.Problem($"No model card for {name}@{version}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown model");
        })
        .AllowAnonymous()
        .WithTags("Models")
        .WithSummary("The model card (intended use, training data, measured metrics) of a registered model");
}
