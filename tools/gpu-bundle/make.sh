#!/usr/bin/env bash
# Makes a folder that runs the kit where .NET is not installed (the GPU machine): the walkthrough CLI published
# self-contained for linux-x64 as one compressed file (the .NET runtime inside, framework assemblies trimmed; only
# TorchSharp's native bridge beside it), with its device checks
# (`walkthrough check`) and benchmark (`walkthrough bench --json`), and the bundled model, tokenizer and configs.
# No libtorch inside: point WALKTHROUGH_LIBTORCH at an installed one (a PyTorch's torch/lib).
#
#   tools/gpu-bundle/make.sh [OUT]        default OUT: artifacts/gpu-bundle
#   OUT/bin/walkthrough doctor
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-artifacts/gpu-bundle}
limit_mib=60
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rm -rf "$out"
echo "gpu-bundle: publishing the CLI self-contained for linux-x64 (a few minutes on two cores)…"
# TrimMode=partial trims only assemblies that declare themselves trimmable (the framework's); TorchSharp, Roslyn and
# FSharp.Core, which use reflection, stay whole. The trimmer's warnings are about code it keeps, so not errors.
# One compressed file: assemblies have no Location there, which the kit's native loader allows for (it searches the
# app's folder); the lesson runner, which compiles against assembly files, is the one command that needs the SDK.
# --json output serializes the kit's own (untrimmed) records by reflection, which a trimmed app turns off by default.
dotnet publish src/Walkthrough.Cli -c Release -r linux-x64 --self-contained \
  -p:WalkthroughBundle=true -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true -p:ILLinkTreatWarningsAsErrors=false \
  -p:DebugType=none -p:GenerateDocumentationFile=false -p:SatelliteResourceLanguages=en \
  -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:EnableSingleFileAnalyzer=false \
  -p:JsonSerializerIsReflectionEnabledByDefault=true \
  -o "$out/bin" -v q -nologo
mv "$out/bin/Walkthrough.Cli" "$out/bin/walkthrough"
# Only for debuggers, crash dumps, tracing and other garbage collectors: nothing the kit runs loads them.
rm -f "$out/bin/createdump" "$out/bin"/libmscordaccore.so "$out/bin"/libmscordbi.so "$out/bin"/libcoreclrtraceptprovider.so "$out/bin"/libclrgc*.so

# The kit finds data/ above its own folder (KitData): the bundled model, the Mistral tokenizer, the model configs.
mkdir -p "$out/data/models" "$out/data/tokenizers"
cp -r data/models/walkthrough-tiny "$out/data/models/"
cp -r data/tokenizers/mistral-7b "$out/data/tokenizers/"
cp -r data/configs "$out/data/"

if find "$out" -name 'libtorch*.so*' | grep -q .; then
  echo "gpu-bundle: libtorch found in $out; the bundle must not carry it" >&2
  exit 1
fi
size=$(du -sm "$out" | cut -f1)
echo "gpu-bundle: $out is ${size} MiB (limit ${limit_mib})"
if [ "$size" -gt "$limit_mib" ]; then
  echo "gpu-bundle: over ${limit_mib} MiB" >&2
  exit 1
fi
