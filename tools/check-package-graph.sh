#!/usr/bin/env bash
# Acceptance check of the package graph (issue 13): a consumer of Cipo.TorchSharp alone must not restore the report
# charts (ScottPlot, SkiaSharp 3 with its Linux natives, HarfBuzzSharp). Packs the four packages below Cipo.Evaluation
# into a temp feed, restores a throw-away console app that references only Cipo.TorchSharp, and lists its packages.
# TorchSharp 0.107.0 itself depends on SkiaSharp 2.88.6 (Windows/macOS natives): that one is expected.
# Usage: tools/check-package-graph.sh   (from anywhere; restores into a private packages folder, so it needs nuget.org)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for project in Cipo.Abstractions Cipo Cipo.Text Cipo.TorchSharp; do
  dotnet pack "$root/src/$project/$project.csproj" -c Release -o "$work/feed" --nologo -v quiet >/dev/null
done
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -1)"
mkdir "$work/consumer"
cat > "$work/consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
cat > "$work/consumer/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Cipo.TorchSharp" Version="$version" />
  </ItemGroup>
</Project>
XML
echo 'System.Console.WriteLine(typeof(Cipo.TorchSharp.Policy.TorchSharpPolicy));' > "$work/consumer/Program.cs"
# A private packages folder: the user cache may hold an older Cipo.* of the same version.
dotnet restore "$work/consumer" --packages "$work/packages" --nologo -v quiet >/dev/null
listing="$(cd "$work/consumer" && NUGET_PACKAGES="$work/packages" dotnet list package --include-transitive --no-restore)"
echo "$listing"
if grep -Eiq '> (ScottPlot|HarfBuzzSharp|SkiaSharp\.NativeAssets\.Linux)' <<<"$listing" \
   || grep -Ei '> SkiaSharp ' <<<"$listing" | grep -vq ' 2\.88\.6 *$'; then
  echo "FAIL: Cipo.TorchSharp brings chart packages" >&2
  exit 1
fi
echo "OK: no ScottPlot, no HarfBuzzSharp, no SkiaSharp beyond TorchSharp's own 2.88.6"
