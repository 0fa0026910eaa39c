"""VGG8 for CIFAR-10 as in the DNN+NeuroSim V1.4 wrapper (``models/VGG.py``).

Six 3x3 'same' convolutions (128, 128, M, 256, 256, M, 512, 512, M) with ReLU, then two
fully connected layers 8192 -> 1024 (ReLU) -> 10. Layers are built in the wrapper's order
with its names (``Conv0_``, ``Conv1_``, ``Conv3_``, ``Conv4_``, ``Conv6_``, ``Conv7_``,
``FC0_``, ``FC1_``) and module paths (``features.N``, ``classifier.N``), so wrapper
checkpoints load as they are and ``torch.manual_seed(s)`` before the factory gives the
wrapper's initial weights for seed ``s``.
"""

from __future__ import annotations

from typing import Any

#: (kind, out_channels, kernel) for convs; ("M", k, s) for max pools -- wrapper cfg 'vgg8'
FEATURES = [("C", 128, 3), ("C", 128, 3), ("M", 2, 2), ("C", 256, 3), ("C", 256, 3),
            ("M", 2, 2), ("C", 512, 3), ("C", 512, 3), ("M", 2, 2)]
CLASSIFIER = [("L", 8192, 1024), ("L", 1024, 10)]


def build_vgg8(mode: str = "WAGE", wl_weight: int = 8, wl_activate: int = 8,
               checkpoint: str | None = None, num_classes: int = 10, **settings: Any) -> Any:
    """The VGG8 module in eval mode (``checkpoint``: a wrapper state dict file)."""
    import torch.nn as nn

    from neurosim.networks import load_checkpoint
    from neurosim.nn import conv_layer, linear_layer

    settings.setdefault("model", "VGG8")
    common = dict(wl_input=wl_activate, wl_activate=wl_activate, wl_weight=wl_weight,
                  **settings)

    class VGG(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            feats: list[nn.Module] = []
            cin = 3
            for i, v in enumerate(FEATURES):
                if v[0] == "M":
                    feats.append(nn.MaxPool2d(kernel_size=v[1], stride=v[2]))
                else:
                    feats += [conv_layer(mode, cin, v[1], kernel_size=v[2], padding=v[2] // 2,
                                         name=f"Conv{i}_", **common), nn.ReLU()]
                    cin = v[1]
            self.features = nn.Sequential(*feats)
            cls: list[nn.Module] = []
            for i, (_, fin, fout) in enumerate(CLASSIFIER):
                fout = num_classes if i == len(CLASSIFIER) - 1 else fout
                cls.append(linear_layer(mode, fin, fout, name=f"FC{i}_", **common))
                if i < len(CLASSIFIER) - 1:
                    cls.append(nn.ReLU())
            self.classifier = nn.Sequential(*cls)

        def forward(self, x: Any) -> Any:
            x = self.features(x)
            x = x.view(x.size(0), -1)
            return self.classifier(x)

    model = VGG()
    if checkpoint:
        load_checkpoint(model, checkpoint)
    return model.eval()
