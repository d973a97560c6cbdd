using System.Security.Cryptography;
using System.Text;
using HealthAssist.Security;
using HealthAssist.Storage.Inputs;

namespace HealthAssist.IntegrationTests.Storage;

public sealed class EncryptedInputStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ha-inputs-{Guid.NewGuid():N}");
    private readonly DeploymentSecret _secret = DeploymentSecret.Generate();

    [Fact]
    public async Task PutThenGet_ReturnsTheContent_AndTheFileHoldsNoPlaintext()
    {
        var store = new EncryptedInputStore(_folder, _secret);
        var content = Encoding.UTF8.GetBytes("{\"resourceType\":\"Bundle\",\"id\":\"plaintext-marker\"}");

        await store.PutAsync(Sha256(content), content);

        Assert.Equal(content, await store.GetAsync(Sha256(content)));
        var file = Assert.Single(Directory.EnumerateFiles(_folder, "*.bin", SearchOption.AllDirectories));
        Assert.DoesNotContain("plaintext-marker", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_IsIdempotent_ForTheSameContent()
    {
        var store = new EncryptedInputStore(_folder, _secret);
        var content = RandomNumberGenerator.GetBytes(1000);

        await store.PutAsync(Sha256(content), content);
        await store.PutAsync(Sha256(content), content);

        Assert.Single(Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Put_RefusesContentThatDoesNotHashToItsAddress()
    {
        var store = new EncryptedInputStore(_folder, _secret);

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(Sha256([1, 2, 3]), new byte[] { 4, 5, 6 }));
    }

    [Fact]
    public async Task Get_OfAnAlteredFile_Throws_AndAnotherDeploymentsKeyCannotOpenIt()
    {
        var store = new EncryptedInputStore(_folder, _secret);
        var content = RandomNumberGenerator.GetBytes(512);
        await store.PutAsync(Sha256(content), content);
        var file = Directory.EnumerateFiles(_folder, "*.bin", SearchOption.AllDirectories).Single();

        await Assert.ThrowsAnyAsync<CryptographicException>(() => new EncryptedInputStore(_folder, DeploymentSecret.Generate()).GetAsync(Sha256(content)));
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(file, bytes);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => store.GetAsync(Sha256(content)));
    }

    [Fact]
    public async Task Get_OfAnUnknownAddress_IsNull()
    {
        Assert.Null(await new EncryptedInputStore(_folder, _secret).GetAsync(Sha256([9])));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
