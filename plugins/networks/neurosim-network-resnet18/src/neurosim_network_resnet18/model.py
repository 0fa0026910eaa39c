"""ResNet18 for ImageNet as in the DNN+NeuroSim V1.4 wrapper (``models/ResNet.py``, itself
torchvision's ResNet with the conv/linear layers replaced by NeuroSim layers).

7x7/2 stem conv, BN, ReLU, 3x3/2 max pool, four stages of two BasicBlocks (64, 128, 256,
512 channels; stages 2-4 start with stride 2 and a 1x1/2 downsample conv), global average
pool, fully connected 512 -> 1000 (no bias, as in the wrapper). Module paths equal
torchvision's, so a torchvision ``resnet18`` state dict loads (its ``fc.bias`` is ignored,
as the wrapper's ``strict=False`` load ignores it). Layer names follow the wrapper's
construction counter (``Conv_0_``, ``Conv3x3_1_``, ..., ``Conv1x1_5_``, ..., ``FC_20_``).
"""

from __future__ import annotations

from typing import Any


def build_resnet18(mode: str = "WAGE", wl_weight: int = 8, wl_activate: int = 8,
                   checkpoint: str | None = None, num_classes: int = 1000,
                   **settings: Any) -> Any:
    """The ResNet18 module in eval mode (``checkpoint``: a torchvision or wrapper state
    dict file; nothing is downloaded)."""
    import torch
    import torch.nn as nn

    from neurosim.errors import NeuroSimError
    from neurosim.networks import load_state_dict_file
    from neurosim.nn import conv_layer, linear_layer

    settings.setdefault("model", "ResNet18")
    common = dict(wl_input=wl_activate, wl_activate=wl_activate, wl_weight=wl_weight,
                  **settings)
    counter = [0]

    def conv(prefix: str, cin: int, cout: int, k: int, stride: int, padding: int) -> nn.Module:
        layer = conv_layer(mode, cin, cout, kernel_size=k, stride=stride, padding=padding,
                           name=f"{prefix}_{counter[0]}_", **common)
        counter[0] += 1
        return layer

    class BasicBlock(nn.Module):
        expansion = 1

        def __init__(self, inplanes: int, planes: int, stride: int = 1,
                     downsample: Any = None) -> None:
            super().__init__()
            self.conv1 = conv("Conv3x3", inplanes, planes, 3, stride, 1)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = conv("Conv3x3", planes, planes, 3, 1, 1)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = downsample

        def forward(self, x: Any) -> Any:
            identity = x
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            if self.downsample is not None:
                identity = self.downsample(x)
            out += identity
            return self.relu(out)

    class ResNet(nn.Module):
        def __init__(self, layers: tuple[int, ...] = (2, 2, 2, 2)) -> None:
            super().__init__()
            self.inplanes = 64
            self.conv1 = conv("Conv", 3, 64, 7, 2, 3)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
            self.layer1 = self._make_layer(64, layers[0])
            self.layer2 = self._make_layer(128, layers[1], stride=2)
            self.layer3 = self._make_layer(256, layers[2], stride=2)
            self.layer4 = self._make_layer(512, layers[3], stride=2)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = linear_layer(mode, 512, num_classes, name=f"FC_{counter[0]}_", **common)
            counter[0] += 1
            for m in self.modules():  # the wrapper's (torchvision's) initialisation
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)

        def _make_layer(self, planes: int, blocks: int, stride: int = 1) -> nn.Sequential:
            downsample = None
            if stride != 1 or self.inplanes != planes:
                downsample = nn.Sequential(conv("Conv1x1", self.inplanes, planes, 1, stride, 0),
                                           nn.BatchNorm2d(planes))
            layers = [BasicBlock(self.inplanes, planes, stride, downsample)]
            self.inplanes = planes
            for _ in range(1, blocks):
                layers.append(BasicBlock(self.inplanes, planes))
            return nn.Sequential(*layers)

        def forward(self, x: Any) -> Any:
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            x = torch.flatten(self.avgpool(x), 1)
            return self.fc(x)

    model = ResNet()
    if checkpoint:
        sd = load_state_dict_file(checkpoint)
        missing, unexpected = model.load_state_dict(sd, strict=False)
        unexpected = [k for k in unexpected if k != "fc.bias"]
        if missing or unexpected:
            raise NeuroSimError(
                f"checkpoint {checkpoint} does not fit ResNet18: missing "
                f"{missing[:5]}{'...' if len(missing) > 5 else ''}, unexpected "
                f"{unexpected[:5]}{'...' if len(unexpected) > 5 else ''}")
    return model.eval()
