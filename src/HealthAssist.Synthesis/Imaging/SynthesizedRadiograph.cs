using HealthAssist.Dicom;

namespace HealthAssist.Synthesis.Imaging;

/// <summary>A synthetic radiograph and every identifying value planted in it (header elements and burned-in text).</summary>
/// <param name="File">The Part 10 file; write it with <c>DicomWriter</c> (explicit VR little endian).</param>
/// <param name="PlantedPhi">What was written where; <see cref="PlantedPhi.Where"/> names the tag, e.g. "(0010,0010) PatientName",
/// or "pixels (burned-in)", for the caller to prefix with the file name.</param>
public sealed record SynthesizedRadiograph(DicomFile File, IReadOnlyList<PlantedPhi> PlantedPhi);
