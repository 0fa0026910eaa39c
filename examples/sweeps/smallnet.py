import torch
from neurosim.nn import QConv2d, QLinear

class Small(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = QConv2d(3, 16, 3, padding=1, name="Conv0_")
        self.c2 = QConv2d(16, 32, 3, padding=1, name="Conv1_")
        self.fc = QLinear(32 * 4 * 4, 10, name="FC0_")

    def forward(self, x):
        x = torch.relu(self.c1(x))
        x = torch.nn.functional.max_pool2d(torch.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))

def build():
    return Small(), torch.rand(2, 3, 8, 8) * 2 - 1

class Dense(torch.nn.Module):  # DenseNet-style growth: a 3x3 conv's output is concatenated
    def __init__(self):
        super().__init__()
        self.c1 = QConv2d(3, 16, 3, padding=1, name="Conv0_")
        self.c2 = QConv2d(16, 8, 3, padding=1, name="Conv1_")
        self.c3 = QConv2d(24, 16, 1, name="Conv2_")

    def forward(self, x):
        y = torch.relu(self.c1(x))
        y = torch.cat([torch.relu(self.c2(y)), y], 1)
        return torch.nn.functional.avg_pool2d(torch.relu(self.c3(y)), 2)

def dense():
    return Dense(), torch.rand(1, 3, 8, 8) * 2 - 1

def plain():
    return torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU(),
                               torch.nn.Flatten(), torch.nn.Linear(8 * 6 * 6, 4))
