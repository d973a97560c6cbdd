namespace HealthAssist.DicomWeb;

/// <summary>
/// One frame of pixel data from a WADO-RS frames retrieve: its 1-based number, the media type of its part
/// (<c>application/octet-stream</c> for native pixels, e.g. <c>image/jpeg</c> or <c>image/dicom-rle</c> for encoded
/// ones), the transfer syntax the server named, and its bytes.
/// </summary>
public sealed record DicomWebFrame(int FrameNumber, string MediaType, string? TransferSyntaxUid, ReadOnlyMemory<byte> Data);
